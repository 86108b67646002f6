import Foundation

/// Wall-clock bounds for tests, stretched where instrumented code runs slower.
///
/// `DIVERGENCE_TEST_TIME_SCALE` (a positive number, default 1) multiplies every bound passed through here;
/// `make test-asan` and `make test-tsan` set it, since sanitized builds run several times slower. Only upper
/// bounds ("finishes within") are scaled: lower bounds and the behaviour asserted stay as written.
public enum TestTime {
    /// The factor read from `DIVERGENCE_TEST_TIME_SCALE`; 1 when unset or not a positive number.
    public static let scale: Double = {
        guard let text = ProcessInfo.processInfo.environment["DIVERGENCE_TEST_TIME_SCALE"], let value = Double(text),
              value.isFinite, value > 0 else { return 1 }
        return value
    }()

    /// The sanitizer this test process runs under (`DIVERGENCE_SANITIZER`: `address` or `thread`), nil for none.
    public static let sanitizer: String? = ProcessInfo.processInfo.environment["DIVERGENCE_SANITIZER"].flatMap { $0.isEmpty ? nil : $0 }

    /// `bound` multiplied by the scale.
    public static func bound(_ bound: Duration) -> Duration { bound * scale }

    /// `seconds` multiplied by the scale.
    public static func bound(seconds: Double) -> Double { seconds * scale }
}
