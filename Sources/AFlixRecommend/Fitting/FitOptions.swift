/// How one fit runs: its thread count and where its progress goes. A value travels with the call,
/// so two fits (or a fit and a request) with different options never affect each other.
///
/// ```swift
/// let options = FitOptions(threadCount: 2) { progress in
///   print("\(progress.algorithm) \(progress.step)/\(progress.totalSteps)", progress.loss ?? .nan)
/// }
/// let model = try await ImplicitALS().fit(train, options: options)
/// ```
public struct FitOptions: Sendable {
  /// The threads AFlix's own loops may use during the fit; `nil` (the default) means the caller's
  /// `Parallelism.currentThreadCount` (the count bound by `Parallelism.withThreadCount`, else the
  /// process-wide default). Values outside 1…`Parallelism.maximumThreadLimit` are clamped.
  public var threadCount: Int?
  /// Called after every step (epoch, iteration, sweep or phase) of the fit, on the fit's thread,
  /// in step order; `nil` (the default) reports nothing. It should return quickly: the fit waits
  /// for it.
  public var progress: (@Sendable (FitProgress) -> Void)?
  /// Whether the fit's threads yield to the process's other work: ``FitPriority/background``
  /// suits a service retraining while it answers requests. ``FitPriority/normal`` by default.
  public var priority: FitPriority

  /// Creates options; the defaults run with the caller's thread count at normal priority and
  /// report nothing.
  public init(
    threadCount: Int? = nil, priority: FitPriority = .normal,
    progress: (@Sendable (FitProgress) -> Void)? = nil
  ) {
    self.threadCount = threadCount
    self.priority = priority
    self.progress = progress
  }
}

/// The scheduling priority of a fit's threads.
public enum FitPriority: Sendable, Hashable {
  /// The priority of the thread that started the process.
  case normal
  /// Below the process's other threads (on Linux, a nice value 10 above theirs, for the fit's
  /// thread and the loop threads it starts): a service's request threads come first, and the fit
  /// takes the cores they leave. OpenBLAS's own worker threads keep their priority; run a
  /// background fit with one BLAS thread (`BLAS.threadCount`) to have all its work yield.
  case background
}

/// One step of a fit, as ``FitOptions/progress`` receives it.
///
/// Steps are the algorithm's natural units: epochs (``Baseline``, ``BiasedMF``,
/// ``SVDPlusPlus``, ``BPR``), alternations (``BiasedALS``, ``ImplicitALS``), Gibbs sweeps
/// (``BayesianMF``), phases (``KNNBaseline``, ``TruncatedSVDRecommender``, ``EASE``,
/// ``PopularityAlgorithm``), and member fits plus the weight solve (``Blend``, whose members also
/// report their own steps, marked by ``enclosing``).
public struct FitProgress: Sendable, Hashable {
  /// The ``RecommenderAlgorithm/name`` of the algorithm whose step this is.
  public var algorithm: String
  /// The step just completed, from 1 to ``totalSteps``.
  public var step: Int
  /// The number of steps of the fit.
  public var totalSteps: Int
  /// A training loss after the step, where the algorithm computes one at no extra pass over the
  /// data: the training RMSE of ``Baseline`` (after the epoch) and ``SVDPlusPlus`` (the errors met
  /// during the epoch), ``BPR``'s mean `−ln σ(x̂ᵤᵢⱼ)` over the epoch's samples; `nil` otherwise.
  public var loss: Double?
  /// The names of the fits this one is part of, outermost first: empty for the fit that was
  /// called, `["blend"]` for a blend's member.
  public var enclosing: [String]

  /// Creates a progress report.
  public init(
    algorithm: String, step: Int, totalSteps: Int, loss: Double? = nil, enclosing: [String] = []
  ) {
    self.algorithm = algorithm
    self.step = step
    self.totalSteps = totalSteps
    self.loss = loss
    self.enclosing = enclosing
  }
}
