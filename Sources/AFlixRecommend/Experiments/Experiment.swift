internal import _AFlixSupport

/// An A/B experiment of the original AFlix: named variants, each user in one of them by a rule
/// that needs no stored assignment — the same on every restart and every instance.
///
/// A user's variant is `int(md5("<name>_<user id>").hexdigest(), 16) mod variants.count`
/// (DESIGN §4), the variants in the order they were declared:
///
/// ```swift
/// let experiment = try Experiment(name: "k_svd", variants: ["25", "30", "35"])
/// experiment.assignment(forUser: "42")   // k_svd / "25" / 0, as Python's hashlib says
/// ```
///
/// ``ExperimentTally`` counts what each variant's users did, and its
/// ``ExperimentTally/report(confidence:)`` compares the variants with confidence intervals.
public struct Experiment: Sendable, Hashable, Codable {
  /// The experiment's name: the first part of the hashed text.
  public let name: String
  /// The variants, in declaration order (a variant's index is its position).
  public let variants: [String]

  /// The most variants an experiment has.
  public static let maximumVariantCount = 1_000
  /// The longest name or variant, in characters.
  public static let maximumNameLength = 200

  /// Creates an experiment.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for an empty or overlong name, fewer than
  ///   2 or more than ``maximumVariantCount`` variants, an empty, overlong or repeated variant.
  public init(name: String, variants: [String]) throws {
    guard !name.isEmpty, name.count <= Self.maximumNameLength else {
      throw RecommendError(
        .invalidArgument,
        "an experiment's name must have 1…\(Self.maximumNameLength) characters, got \(name.count)")
    }
    guard (2...Self.maximumVariantCount).contains(variants.count) else {
      throw RecommendError(
        .invalidArgument,
        "experiment \(name) needs 2…\(Self.maximumVariantCount) variants, got \(variants.count)")
    }
    var seen = Set<String>()
    for variant in variants {
      guard !variant.isEmpty, variant.count <= Self.maximumNameLength else {
        throw RecommendError(
          .invalidArgument,
          "experiment \(name): a variant must have 1…\(Self.maximumNameLength) characters")
      }
      guard seen.insert(variant).inserted else {
        throw RecommendError(
          .invalidArgument, "experiment \(name) declares variant \(variant) twice")
      }
    }
    self.name = name
    self.variants = variants
  }

  /// Decodes an experiment, checked as ``init(name:variants:)`` checks it.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      name: container.decode(String.self, forKey: .name),
      variants: container.decode([String].self, forKey: .variants))
  }

  private enum CodingKeys: String, CodingKey {
    case name, variants
  }

  /// The index of the variant of the user with id `user` (a dataset id as the dataset spells
  /// it, or a username): the MD5 digest of `"<name>_<user>"` in UTF-8, read as a big-endian
  /// integer, modulo the variant count. Never traps.
  public func variantIndex(forUser user: String) -> Int {
    MD5.digestModulo("\(name)_\(user)".utf8, variants.count)
  }

  /// The user's variant, with its index.
  public func assignment(forUser user: String) -> ExperimentAssignment {
    let index = variantIndex(forUser: user)
    return ExperimentAssignment(experiment: name, variant: variants[index], index: index)
  }
}

/// A user's variant of an experiment.
public struct ExperimentAssignment: Sendable, Hashable, Codable {
  /// The experiment's name.
  public var experiment: String
  /// The variant's name.
  public var variant: String
  /// The variant's index in the experiment's declaration order.
  public var index: Int

  /// Creates an assignment.
  public init(experiment: String, variant: String, index: Int) {
    self.experiment = experiment
    self.variant = variant
    self.index = index
  }
}
