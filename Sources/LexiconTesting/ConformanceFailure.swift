/// A check of the conformance suite that did not hold.
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
    /// The group that failed.
    public var group: ProviderConformanceSuite.Group
    /// What was expected and what happened.
    public var message: String

    public var description: String { "conformance group \(group.rawValue): \(message)" }
}
