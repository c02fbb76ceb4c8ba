/// When and how long to wait before trying a request again.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maximumAttempts: Int
    /// The first backoff in seconds; it doubles each attempt, with full jitter.
    public var baseDelay: Double
    /// The longest wait the policy accepts, including a server's `Retry-After`.
    public var maximumDelay: Double

    /// Creates a policy.
    public init(maximumAttempts: Int = 4, baseDelay: Double = 0.5, maximumDelay: Double = 30) {
        self.maximumAttempts = maximumAttempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// No retries.
    public static let none = RetryPolicy(maximumAttempts: 1)

    /// The wait before attempt `attempt + 1` (attempt counts from 1): exponential with full jitter.
    public func backoff(after attempt: Int) -> Double {
        let ceiling = min(maximumDelay, baseDelay * Double(1 << min(attempt - 1, 16)))
        return Double.random(in: (ceiling / 2)...ceiling)
    }

    /// The delay a `Retry-After` value asks for (seconds; dates are not used), or nil.
    public static func retryAfter(_ value: String?) -> Double? {
        guard let value, let seconds = Double(value.filter { !$0.isWhitespace }), seconds >= 0 else { return nil }
        return seconds
    }
}
