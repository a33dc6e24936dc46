import AFlix

extension API {
  /// Why a film is recommended, as the API spells it: the library's explanation
  /// (`RecommendationExplanation`) with film ids as strings, or, for a film added since the
  /// model was fitted, what its score stands on.
  struct Explanation: Encodable {
    var summary: String
    var shares: [RecommendationExplanation.Share]
    var because: [Because]
    var sharedGenres: [String]
    var stratum: String?
    var segment: String?
    var newFilm: NewFilmBasis?

    struct Because: Encodable {
      var movieId: String
      var title: String?
      var rating: Float?
      var similarity: Float
    }

    struct NewFilmBasis: Encodable {
      /// `"content"` (no rating yet, or none from a user the model knows), `"collaborative"`
      /// (factors folded from its ratings, shrunk towards content) or `"none"`.
      var basis: String
      var ratingCount: Int
      var collaborativeScore: Float?
      var contentScore: Float?
    }

    init(_ explanation: RecommendationExplanation) {
      summary = explanation.summary
      shares = explanation.shares
      because = explanation.because.map {
        Because(
          movieId: $0.item.description, title: $0.title, rating: $0.rating,
          similarity: $0.similarity)
      }
      sharedGenres = explanation.sharedGenres
      stratum = explanation.stratum
      segment = explanation.segment
    }

    init(newFilm placed: PlacedFilm, score: NewFilmScore) {
      let count = placed.film.knownRatingCount
      switch score.basis {
      case .collaborative:
        summary = "new film: scored from its first \(count) ratings and its content"
      case .content where count > 0:
        summary =
          "new film: scored by its content (genres, keywords, people); its \(count) ratings "
          + "count from the next training"
      case .content:
        summary = "new film: scored by its content (genres, keywords, people) until it has ratings"
      case .none:
        summary = "new film: no content or ratings known to the model; ranked as an average film"
      }
      shares = []
      because = []
      sharedGenres = []
      newFilm = NewFilmBasis(
        basis: score.basis.rawValue, ratingCount: count, collaborativeScore: score.collaborative,
        contentScore: score.content)
    }
  }
}

extension API.Item {
  /// The API's entry of `film`, with its explanation when `explain` is set.
  init(_ film: ServingSnapshot.RankedFilm, explain: Bool) {
    switch film {
    case .model(let item):
      self.init(
        movieId: item.item.description, title: item.title, score: item.score,
        predictedRating: item.predictedRating,
        explanation: explain ? item.explanation.map(API.Explanation.init) : nil)
    case .added(let placed, let score):
      self.init(
        movieId: placed.id, title: placed.film.movie.title, score: score.total,
        predictedRating: nil, newFilm: true,
        explanation: explain ? API.Explanation(newFilm: placed, score: score) : nil)
    }
  }
}
