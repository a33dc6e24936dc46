import AFlixData

extension StrataModel {
  /// `"popularity-strata"`.
  public static let archiveKind = "popularity-strata"

  private struct Metadata: Codable {
    var fit: FitRecord?
    var weights: PopularityStrata.Weights
    var strata: PopularityStrata.Parts
  }

  /// The strata and weights as metadata; the history as arrays.
  public func archive() throws -> ModelArchive {
    ModelArchive(
      kind: Self.archiveKind,
      metadata: try encodeMetadata(
        Metadata(fit: fitRecord, weights: weights, strata: strata.parts)),
      arrays: history.archiveArrays)
  }

  /// Reads the strata back, checking every vector's length against the item map, every score
  /// finite, the genre and demographic tables in range, the configuration and weights valid.
  ///
  /// - Throws: ``ModelFileError`` `.corrupted` for missing parts or wrong lengths,
  ///   `.invalidValue` naming the field of a value no fit produces.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    try Self.check(m.strata, prefix: archive.fieldPrefix + "strata.")
    do {
      try m.strata.configuration.validate()
      try m.weights.validate()
    } catch let error as RecommendError {
      throw ModelFileError(.invalidValue, error.message)
    }
    try self.init(
      strata: PopularityStrata(parts: m.strata), weights: m.weights,
      history: try archive.history(users: m.strata.users.count, items: m.strata.items.count))
    fitRecord = m.fit
  }

  /// Checks stored strata parts; see ``init(archive:)``.
  static func check(_ p: PopularityStrata.Parts, prefix: String) throws {
    let n = p.items.count
    let vectors: [(String, [Float])] = [
      ("popularity", p.popularity), ("meanRatings", p.meanRatings),
      ("weightedRatings", p.weightedRatings), ("latest", p.latest), ("trending", p.trending),
      ("rising", p.rising), ("cultClassics", p.cultClassics),
    ]
    for (name, values) in vectors {
      guard values.count == n else {
        throw ModelFileError(
          .corrupted, "'\(prefix)\(name)' has \(values.count) elements, expected \(n)")
      }
      try ModelValidation.requireFinite(values, field: prefix + name)
    }
    for (name, values) in [("recentCounts", p.recentCounts), ("previousCounts", p.previousCounts)] {
      guard values.count == n else {
        throw ModelFileError(
          .corrupted, "'\(prefix)\(name)' has \(values.count) elements, expected \(n)")
      }
      if let k = values.firstIndex(where: { $0 < 0 }) {
        throw ModelValidation.invalid(prefix + name, entry: k, "\(values[k]), negative")
      }
    }
    if let k = p.popularity.firstIndex(where: { $0 < 0 || $0 != $0.rounded() }) {
      throw ModelValidation.invalid(
        prefix + "popularity", entry: k, "\(p.popularity[k]), not a count")
    }
    try ModelValidation.requireFinite(p.globalMean, field: prefix + "globalMean")
    guard p.minimumVotes >= 1 else {
      throw ModelFileError(.invalidValue, "field '\(prefix)minimumVotes' is \(p.minimumVotes)")
    }
    let offsets = p.itemGenreOffsets
    guard offsets.count == n + 1, offsets.first == 0, offsets.last == p.itemGenres.count,
      zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 })
    else {
      throw ModelFileError(.corrupted, "'\(prefix)itemGenreOffsets' do not delimit the item genres")
    }
    if let k = p.itemGenres.firstIndex(where: { $0 < 0 || Int($0) >= p.genres.count }) {
      throw ModelValidation.invalid(
        prefix + "itemGenres", entry: k, "\(p.itemGenres[k]), not a genre of \(p.genres.count)")
    }
    let d = p.demographics
    guard d.userCounts.count == d.groups.count, d.itemCounts.count == d.groups.count,
      d.itemCounts.allSatisfy({ $0.count == n }), Set(d.groups).count == d.groups.count,
      d.activeUsers >= 0, d.userCounts.allSatisfy({ $0 >= 0 }),
      d.itemCounts.allSatisfy({ $0.allSatisfy { $0 >= 0 } })
    else {
      throw ModelFileError(.corrupted, "'\(prefix)demographics' tables disagree with the items")
    }
    guard p.userAttributes.isEmpty || p.userAttributes.count == p.users.count else {
      throw ModelFileError(
        .corrupted,
        "'\(prefix)userAttributes' has \(p.userAttributes.count) entries for \(p.users.count) users"
      )
    }
  }
}
