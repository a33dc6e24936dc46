import AFlixData
import Foundation

extension BlendModel {
  /// `"blend"`.
  public static let archiveKind = "blend"

  private struct Metadata: Codable {
    var fit: FitRecord?
    var names: [String]
    var kinds: [String]
    var memberMetadata: [Data]
    var intercept: Float
    var weights: [Float]
    var users: IDMap
    var items: IDMap
    var scale: RatingScale
  }

  /// The weights and each member's archive (its metadata nested, its arrays prefixed `mJ.`).
  ///
  /// - Throws: ``ModelFileError`` `.corrupted` when a member cannot be saved.
  public func archive() throws -> ModelArchive {
    var kinds: [String] = []
    var nested: [Data] = []
    var arrays: [(name: String, payload: ModelArchive.Payload)] = []
    for (j, member) in members.enumerated() {
      let a = try member.archive()
      kinds.append(a.kind)
      nested.append(a.metadata)
      // A member's history is the blend's own, saved once.
      arrays += a.arrays.filter { !$0.name.hasPrefix(UserHistory.arrayPrefix) }.map {
        ("m\(j).\($0.name)", $0.payload)
      }
    }
    return ModelArchive(
      kind: Self.archiveKind,
      metadata: try encodeMetadata(
        Metadata(
          fit: fitRecord,
          names: names, kinds: kinds, memberMetadata: nested, intercept: intercept,
          weights: weights, users: users, items: items, scale: scale)),
      arrays: history.archiveArrays + arrays)
  }

  /// Rebuilds every member from its nested archive, each checked as its own kind is, and checks
  /// the weights and intercept finite and the scale valid.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    let count = m.names.count
    guard m.kinds.count == count, m.memberMetadata.count == count, m.weights.count == count,
      count > 0
    else {
      throw ModelFileError(.corrupted, "the blend's member lists disagree in length")
    }
    try ModelValidation.requireScale(m.scale)
    try ModelValidation.requireFinite(m.intercept, field: "intercept")
    try ModelValidation.requireFinite(m.weights, field: "weights")
    var members: [any RatingPredictor] = []
    for j in 0..<count {
      let prefix = "m\(j)."
      var nested = ModelArchive(
        kind: m.kinds[j], metadata: m.memberMetadata[j],
        arrays: archive.arrays.filter { $0.name.hasPrefix(prefix) }.map {
          (String($0.name.dropFirst(prefix.count)), $0.payload)
        })
      nested.fieldPrefix = archive.fieldPrefix + prefix
      let loaded: any RecommenderModel
      do {
        loaded = try ModelRegistry.model(from: nested)
      } catch let error as ModelFileError {
        throw ModelFileError(
          error.kind, "blend member \(j) (\(m.names[j]), \(m.kinds[j])): \(error.message)")
      }
      guard let member = loaded as? any RatingPredictor,
        member.users == m.users, member.items == m.items
      else {
        throw ModelFileError(.corrupted, "blend member \(m.names[j]) does not fit the blend")
      }
      members.append(member)
    }
    self.init(
      members: members, names: m.names, intercept: m.intercept, weights: m.weights,
      users: m.users, items: m.items, scale: m.scale)
    fitRecord = m.fit
    history = try archive.history(users: users.count, items: items.count)
  }
}
