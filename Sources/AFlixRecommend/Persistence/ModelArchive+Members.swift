import Foundation

/// Composite models (the blend, the hybrid) save their members as nested archives in their own
/// file: each member's kind and metadata in the composite's metadata, its arrays under a prefix.
extension ModelArchive {
  /// The members' kinds, metadata and arrays, each member's arrays prefixed `"<prefix><j>."`; a
  /// member's history is left out (the composite saves its own once) unless `keepingHistory`
  /// (members whose scores read their history: EASE, the popularity strata).
  static func nestedParts(
    of members: [any RecommenderModel], prefix: String, keepingHistory: Bool = false
  ) throws -> (
    kinds: [String], metadata: [Data], arrays: [(name: String, payload: Payload)]
  ) {
    var kinds: [String] = []
    var metadata: [Data] = []
    var arrays: [(name: String, payload: Payload)] = []
    for (j, member) in members.enumerated() {
      let a = try member.archive()
      kinds.append(a.kind)
      metadata.append(a.metadata)
      arrays += a.arrays.filter { keepingHistory || !$0.name.hasPrefix(UserHistory.arrayPrefix) }
        .map {
          ("\(prefix)\(j).\($0.name)", $0.payload)
        }
    }
    return (kinds, metadata, arrays)
  }

  /// Member `j`, saved by ``nestedParts(of:prefix:)``, loaded and checked as its own kind is.
  ///
  /// - Throws: ``ModelFileError`` naming the composite (`owner`) and the member (`label`).
  func nestedMember(
    _ j: Int, kind: String, metadata: Data, prefix: String, owner: String, label: String
  ) throws -> any RecommenderModel {
    let head = "\(prefix)\(j)."
    var nested = ModelArchive(
      kind: kind, metadata: metadata,
      arrays: arrays.filter { $0.name.hasPrefix(head) }.map {
        (String($0.name.dropFirst(head.count)), $0.payload)
      })
    nested.fieldPrefix = fieldPrefix + head
    do {
      return try ModelRegistry.model(from: nested)
    } catch let error as ModelFileError {
      throw ModelFileError(error.kind, "\(owner) member \(j) (\(label), \(kind)): \(error.message)")
    }
  }
}
