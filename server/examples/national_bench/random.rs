//! The generators' randomness: SplitMix64 streams, each seeded from `NATIONAL_BENCH_SEED` and a name, so that
//! one part's draws never shift another's and the same seed gives the same data set.

/// A deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Dice(u64);

impl Dice {
    /// The stream `name` of `seed`.
    pub fn new(seed: u64, name: &str) -> Dice {
        // FNV-1a of the name, mixed with the seed.
        let salt = name.bytes().fold(0xCBF2_9CE4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
        });
        Dice(seed ^ salt.rotate_left(17))
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A standard normal draw (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(f64::MIN_POSITIVE);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One character of `text`.
    pub fn char_of(&mut self, text: &str) -> char {
        let n = text.chars().count();
        text.chars().nth(self.below(n)).unwrap_or('〇')
    }

    /// An index drawn by `weights` (not all zero).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut at = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if at < *w {
                return i;
            }
            at -= w;
        }
        weights.len() - 1
    }
}

/// Draws positions by weight from many items in O(log n): the cumulative weights, searched.
pub struct Cumulative {
    sums: Vec<f64>,
}

impl Cumulative {
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Cumulative {
        let mut total = 0.0;
        let sums = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Cumulative { sums }
    }

    pub fn draw(&self, dice: &mut Dice) -> usize {
        let at = dice.unit() * self.sums.last().copied().unwrap_or(0.0);
        self.sums.partition_point(|&s| s <= at).min(self.sums.len() - 1)
    }
}

/// `total` shared out over `weights` in whole numbers that add up to it.
pub fn share_out(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    let mut cumulative = 0.0;
    let mut given = 0;
    weights
        .iter()
        .map(|w| {
            cumulative += w;
            let upto = (total as f64 * cumulative / sum).round() as usize;
            let n = upto.saturating_sub(given);
            given += n;
            n
        })
        .collect()
}
