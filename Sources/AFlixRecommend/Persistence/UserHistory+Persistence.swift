import AFlixData

extension UserHistory {
  /// The prefix of the history's arrays in a model file.
  static let arrayPrefix = "history."

  /// The history as model-file arrays: `history.offsets` (Int64, users + 1) and `history.items`
  /// (Int32).
  var archiveArrays: [(name: String, payload: ModelArchive.Payload)] {
    [
      ("history.offsets", .int64(offsets.map { Int64($0) })),
      ("history.items", .int32(itemIndices)),
    ]
  }
}

extension ModelArchive {
  /// The users' training history of a model with `users` users and `items` items: empty when the
  /// file has none (files written before histories were saved), else checked as
  /// ``UserHistory/init(offsets:itemIndices:items:)`` checks it.
  ///
  /// - Throws: ``ModelFileError`` `.corrupted` when only one of the arrays is present or its type
  ///   is wrong, `.invalidValue` naming the array when its contents are not a history.
  func history(users: Int, items: Int) throws -> UserHistory {
    let names = Set(arrays.map(\.name))
    let hasOffsets = names.contains("history.offsets")
    let hasItems = names.contains("history.items")
    guard hasOffsets || hasItems else { return UserHistory(emptyFor: users) }
    guard case .int64(let offsets) = try payload(named: "history.offsets"),
      case .int32(let indices) = try payload(named: "history.items")
    else {
      throw ModelFileError(
        .corrupted, "the history arrays '\(fieldPrefix)history.*' have the wrong element type")
    }
    guard offsets.count == users + 1 else {
      throw ModelFileError(
        .corrupted,
        "array '\(fieldPrefix)history.offsets' has \(offsets.count) elements, expected \(users + 1)"
      )
    }
    do {
      return try UserHistory(
        offsets: offsets.map { Int($0) }, itemIndices: indices, items: items)
    } catch let error as RecommendError {
      throw ModelFileError(.invalidValue, "'\(fieldPrefix)history': \(error.message)")
    }
  }
}
