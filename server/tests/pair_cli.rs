//! `sheguan pair solve`: the binary prints the plan as JSON on stdout, and refuses bad input on stderr.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(instance: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sheguan"))
        .args(["pair", "solve", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sheguan");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(instance.as_bytes())
        .expect("write");
    child.wait_with_output().expect("wait")
}

#[test]
fn solving_an_instance_prints_the_optimal_plan_as_json() {
    let instance = r#"{
        "societies": [{"id": "s1", "capabilities": {"education": 5}, "capacity": 1, "lon": 117.27, "lat": 31.86}],
        "villages": [
            {"id": "v1", "needs": {"education": 3}, "lon": 117.30, "lat": 31.90},
            {"id": "v2", "needs": {"education": 2}, "priority": true, "lon": 117.30, "lat": 31.80}
        ],
        "rules": {"priority_bonus": 200, "distance_penalty_per_km": 1, "max_distance_km": 150}
    }"#;
    let output = run(instance);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON only");
    assert_eq!(plan["pairs"][0]["society"], "s1");
    assert_eq!(
        plan["pairs"][0]["village"], "v2",
        "the priority village is covered first"
    );
    assert_eq!(plan["objective"]["priority_villages_covered"], 1);
    assert_eq!(plan["unpaired_villages"][0], "v1");
}

#[test]
fn a_negative_capacity_is_refused_on_stderr_naming_the_field() {
    let instance =
        r#"{"societies": [{"id": "s1", "capacity": -1, "lon": 117.2, "lat": 31.8}], "villages": []}"#;
    let output = run(instance);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("societies[0].capacity"), "{stderr}");
    assert!(stderr.contains("不能为负数"), "{stderr}");
}
