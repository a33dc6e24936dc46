/// Collects the films of a catalog file, refusing repeated ids (strict) or skipping them
/// (lenient).
struct CatalogBuilder {
  let options: LoadOptions
  let fileName: String
  var report = LoadReport()
  private(set) var movies: [Movie] = []
  private var lineOfID: [EntityID: Int] = [:]

  init(options: LoadOptions, fileName: String) {
    self.options = options
    self.fileName = fileName
  }

  /// Throws `error` when strict; counts and records it when lenient.
  mutating func issue(_ error: DataError) throws {
    guard options.strictness == .lenient else { throw error }
    report.skip(error, limit: options.maxReportedIssues)
  }

  /// Adds `movie`, read at `line` (1-based line, or element number for JSON).
  mutating func add(_ movie: Movie, line: Int?) throws {
    if let previous = lineOfID[movie.id] {
      try issue(
        DataError(
          .duplicateRating, file: fileName, line: line, field: "id",
          value: movie.id.description,
          message: "movie \(movie.id) is already listed (line \(previous))"))
      return
    }
    lineOfID[movie.id] = line ?? movies.count + 1
    movies.append(movie)
  }

  /// Sets the external ids of the films named in `update`.
  mutating func updateExternalIDs(_ update: [EntityID: ExternalIDs]) {
    for k in movies.indices {
      if let ids = update[movies[k].id] { movies[k].externalIDs = ids }
    }
  }

  /// The catalog, throwing `.emptyFile` when no film was read.
  func finish() throws -> Catalog {
    guard !movies.isEmpty else {
      throw DataError(
        .emptyFile, file: fileName,
        message: report.skippedLines == 0
          ? "the file lists no movies"
          : "no movie was accepted: \(report.skippedLines) of \(report.linesRead) entries were "
            + "rejected (the first problems: " + report.examples.prefix(3).joined(separator: " | ")
            + ")")
    }
    return try Catalog(movies: movies)
  }
}
