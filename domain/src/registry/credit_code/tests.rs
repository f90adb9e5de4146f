//! The check character and the code's parts on known codes.

use super::*;

#[test]
fn the_outer_weights_are_powers_of_three_modulo_31() {
    let mut power = 1;
    for weight in OUTER_WEIGHTS {
        assert_eq!(weight, power);
        power = power * 3 % 31;
    }
}

#[test]
fn organization_check_maps_ten_to_x_and_eleven_to_zero() {
    // 3·1 = 3 → 11 − 3 = 8; sum 1 → 10 → X; sum 0 → 11 → 0.
    assert_eq!(organization_check_char(b"10000000"), '8');
    assert_eq!(organization_check_char(b"00000000"), '0');
    // 5 at weight 2 → 10 ≡ 10 → 11 − 10 = 1; 6 at weight 2 → 12 ≡ 1 → X.
    assert_eq!(organization_check_char(b"00000005"), '1');
    assert_eq!(organization_check_char(b"00000006"), 'X');
}
