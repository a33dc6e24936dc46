/// A thread count that travels with the call: bound for the duration of a piece of work (and the
/// tasks and loop workers it starts), instead of a process-wide setting that concurrent callers
/// would fight over.
///
/// `AFlixLinalg.Parallelism.withThreadCount(_:_:)` binds it; every AFlix parallel loop uses
/// `override ?? Parallelism.maximumThreadCount`.
package enum ThreadBudget {
  /// The thread count bound for the current task (or, outside a task, the current thread), or
  /// `nil` for the process-wide default.
  @TaskLocal package static var override: Int?

  /// `override` when bound, else `fallback`.
  @inline(__always)
  package static func resolve(default fallback: Int) -> Int { override ?? fallback }
}
