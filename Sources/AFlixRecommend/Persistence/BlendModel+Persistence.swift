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
    let (kinds, nested, arrays) = try ModelArchive.nestedParts(of: members, prefix: "m")
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
      let loaded = try archive.nestedMember(
        j, kind: m.kinds[j], metadata: m.memberMetadata[j], prefix: "m", owner: "blend",
        label: m.names[j])
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
