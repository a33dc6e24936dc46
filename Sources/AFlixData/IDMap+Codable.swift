extension IDMap: Hashable {
  /// Hashes the identifiers in index order (the lookup table follows from them).
  public func hash(into hasher: inout Hasher) {
    hasher.combine(ids)
  }
}

extension IDMap: Codable {
  /// Decodes the identifiers in index order, as an array.
  ///
  /// - Throws: `DecodingError.dataCorrupted` when an identifier is repeated.
  public init(from decoder: any Decoder) throws {
    let ids = try decoder.singleValueContainer().decode([EntityID].self)
    guard Set(ids).count == ids.count else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "an id is repeated in the map"))
    }
    self.init(ids)
  }

  /// Encodes the identifiers in index order, as an array.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(ids)
  }
}
