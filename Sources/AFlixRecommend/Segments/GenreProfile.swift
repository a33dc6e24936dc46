import AFlixData

/// The genre shares of user segments over their training films: for ``UserSegments``.
struct GenreProfile {
  /// The catalog's genres, the coordinates.
  let genres: [Genre]
  /// Per segment, the share of its genre-film pairs going to each genre (zeros when it has none).
  let segmentShares: [[Double]]
  /// The same over every user.
  let overallShares: [Double]

  /// Counts, for every segment, the genres of the films its users rated in training (the model's
  /// history), each film counting once per genre it has.
  init(model: some RecommenderModel, catalog: Catalog, labels: [Int], segments: Int) {
    let genres = catalog.genres
    var position = [Genre: Int]()
    for (g, genre) in genres.enumerated() { position[genre] = g }
    // The genre positions of every model item (empty for items the catalog lacks).
    let itemGenres = (0..<model.items.count).map { i -> [Int] in
      (catalog.movie(withID: model.items.id(at: i))?.genres ?? []).compactMap { position[$0] }
    }
    var counts = [[Double]](
      repeating: [Double](repeating: 0, count: genres.count), count: segments)
    var overall = [Double](repeating: 0, count: genres.count)
    for (u, s) in labels.enumerated() {
      for i in model.history.items(ofUser: u) {
        for g in itemGenres[Int(i)] {
          counts[s][g] += 1
          overall[g] += 1
        }
      }
    }
    func normalised(_ v: [Double]) -> [Double] {
      let total = v.reduce(0, +)
      return total > 0 ? v.map { $0 / total } : v
    }
    self.genres = genres
    self.segmentShares = counts.map(normalised)
    self.overallShares = normalised(overall)
  }

  /// Segment `s`'s genres with a positive share, by decreasing share (ties in catalog order).
  func shares(ofSegment s: Int) -> [UserSegments.GenreShare] {
    genres.indices
      .filter { segmentShares[s][$0] > 0 }
      .sorted { segmentShares[s][$0] > segmentShares[s][$1] }
      .map { g in
        UserSegments.GenreShare(
          genre: genres[g], share: segmentShares[s][g], overallShare: overallShares[g],
          lift: overallShares[g] > 0 ? segmentShares[s][g] / overallShares[g] : 0)
      }
  }

  /// Up to two genres of highest lift above 1 among those with at least a 1% share, " · "-joined;
  /// "Mixed" when none.
  func label(ofSegment s: Int) -> String {
    let picked = shares(ofSegment: s)
      .filter { $0.share >= 0.01 && $0.lift > 1 }
      .sorted { $0.lift > $1.lift }
      .prefix(2)
    return picked.isEmpty ? "Mixed" : picked.map(\.genre.name).joined(separator: " · ")
  }
}
