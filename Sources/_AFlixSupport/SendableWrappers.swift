/// Wraps a value that is safe to share across threads because of how it is used (each use says
/// why: typically, every worker writes only its own part of the output).
package struct UncheckedSendable<Value>: @unchecked Sendable {
  /// The wrapped value.
  package let value: Value
  /// Wraps `value`.
  package init(_ value: Value) { self.value = value }
}

/// A mutable pointer shared by parallel workers that write disjoint elements (each use says
/// which).
package struct SharedPointer<Element>: @unchecked Sendable {
  /// The shared address.
  package let base: UnsafeMutablePointer<Element>
  /// Shares `base`.
  package init(base: UnsafeMutablePointer<Element>) { self.base = base }
}
