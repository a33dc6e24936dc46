import AFlixData

/// A readable description of one segment of users: its size, what its members rate highly more
/// often than everyone else, and a label made from its most over-represented genres.
///
/// ```swift
/// let fit = try KMeans(clusterCount: 5, seed: 42).fit(userFactors)
/// let profiles = try SegmentProfile.profiles(
///   labels: fit.labels, ratings: world.ratings, catalog: world.catalog)
/// profiles[0].label          // "Horror · Thriller"
/// profiles[0].films[0]       // the film with the highest lift among the segment's high ratings
/// ```
///
/// **Definitions.** A *high rating* is a rating ≥ the threshold (``Options/highRatingThreshold``;
/// by default 4 on scales that end at 5, else the upper 30% of the scale). For a film `f`:
/// `lift = P(f | the segment's high ratings) / P(f | all high ratings)`: 2 means the film takes
/// twice as large a share of the segment's high ratings as of everyone's. For a genre `g`:
/// `share` is the fraction of the segment's high ratings that go to films of genre `g`,
/// `globalShare` the same over all users, `lift = share / globalShare`. Films and genres with
/// fewer than ``Options/minimumSupport`` high ratings in the segment are left out, so that tiny
/// counts do not dominate. The ``label`` joins the names of the (up to) two genres with the
/// highest lift above 1 ("Action · Adventure"); "Mixed" when no genre is over-represented,
/// "Segment N" without a catalog. A label used by an earlier segment gets " (2)", " (3)" …
public struct SegmentProfile: Sendable, Codable, Equatable {
  /// A film over-represented among a segment's high ratings.
  public struct Film: Sendable, Codable, Equatable {
    /// The film's index in the dataset.
    public var item: Int
    /// The film's id.
    public var id: EntityID
    /// The film's title, when a catalog has it.
    public var title: String?
    /// High ratings the film received from the segment.
    public var highRatings: Int
    /// `P(film | segment's high ratings) / P(film | all high ratings)`.
    public var lift: Double
  }

  /// A genre's weight among a segment's high ratings against its weight among everyone's.
  public struct GenreShare: Sendable, Codable, Equatable {
    /// The genre's name.
    public var name: String
    /// High ratings of the segment that went to films of the genre.
    public var highRatings: Int
    /// Their fraction of the segment's high ratings.
    public var share: Double
    /// The same fraction over all users.
    public var globalShare: Double
    /// `share / globalShare`.
    public var lift: Double
  }

  /// How profiles are computed.
  public struct Options: Sendable, Equatable {
    /// The lowest high rating; `nil` means 4 on scales whose maximum is 5, else
    /// `minimum + 0.7 × (maximum − minimum)`.
    public var highRatingThreshold: Float?
    /// The fewest high ratings in the segment for a film or genre to be listed; 5 by default.
    public var minimumSupport: Int
    /// Films listed per segment; 10 by default.
    public var filmCount: Int
    /// Genres listed per segment; 5 by default.
    public var genreCount: Int

    /// Creates options.
    public init(
      highRatingThreshold: Float? = nil, minimumSupport: Int = 5, filmCount: Int = 10,
      genreCount: Int = 5
    ) {
      self.highRatingThreshold = highRatingThreshold
      self.minimumSupport = minimumSupport
      self.filmCount = filmCount
      self.genreCount = genreCount
    }

    /// The threshold used for a scale.
    public func threshold(for scale: RatingScale) -> Float {
      if let highRatingThreshold { return highRatingThreshold }
      if scale.maximum == 5 { return 4 }
      return scale.minimum + 0.7 * (scale.maximum - scale.minimum)
    }
  }

  /// The segment's index (the cluster label).
  public var segment: Int
  /// A readable name made from the most over-represented genres.
  public var label: String
  /// The number of users in the segment.
  public var size: Int
  /// `size` / all users.
  public var share: Double
  /// Ratings given by the segment's users.
  public var ratingCount: Int
  /// The mean of those ratings (`nil` without ratings).
  public var meanRating: Double?
  /// Ratings per user of the segment.
  public var activity: Double
  /// The segment's high ratings.
  public var highRatingCount: Int
  /// The most over-represented films, highest lift first (ties: more high ratings, then lower
  /// index).
  public var films: [Film]
  /// The genres with the highest lift, highest first (empty without a catalog).
  public var genres: [GenreShare]

  /// The profile of each segment `0..<clusterCount` of a clustering of `ratings`' users.
  ///
  /// - Parameters:
  ///   - labels: the segment of each user index of `ratings`.
  ///   - clusterCount: the number of segments; `nil` means the largest label + 1.
  ///   - ratings: the ratings of the clustered users (user index `u` has label `labels[u]`).
  ///   - catalog: titles and genres by film id; without it there are no genres or titles.
  ///   - options: the high-rating threshold, minimum support and list lengths.
  /// - Throws: ``ClusterError`` `.invalidArgument` when `labels` does not have one non-negative
  ///   label per user, a label is not below `clusterCount`, or the options are below 1 / NaN.
  /// - Complexity: O(ratings + segments · (films + genres) · log).
  public static func profiles(
    labels: [Int], clusterCount: Int? = nil, ratings: RatingsDataset, catalog: Catalog? = nil,
    options: Options = Options()
  ) throws -> [SegmentProfile] {
    guard labels.count == ratings.userCount else {
      throw ClusterError(
        .invalidArgument, "\(labels.count) labels for \(ratings.userCount) users")
    }
    let k = clusterCount ?? ((labels.max() ?? -1) + 1)
    if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= k }) {
      throw ClusterError(
        .invalidArgument, "user \(bad) has label \(labels[bad]), outside 0..<\(k)")
    }
    let threshold = options.threshold(for: ratings.scale)
    guard options.minimumSupport >= 1, options.filmCount >= 0, options.genreCount >= 0,
      !threshold.isNaN
    else {
      throw ClusterError(.invalidArgument, "unusable segment-profile options \(options)")
    }
    let items = ratings.itemCount
    // Genres of each item, as indices into `genreNames`.
    var genreNames: [String] = []
    var itemGenres = [[Int]](repeating: [], count: items)
    var titles = [String?](repeating: nil, count: items)
    if let catalog {
      var genreIndex: [String: Int] = [:]
      for i in 0..<items {
        guard let movie = catalog.movie(withID: ratings.items.id(at: i)) else { continue }
        titles[i] = movie.title
        for genre in movie.genres {
          let g =
            genreIndex[genre.name]
            ?? {
              genreNames.append(genre.name)
              genreIndex[genre.name] = genreNames.count - 1
              return genreNames.count - 1
            }()
          if !itemGenres[i].contains(g) { itemGenres[i].append(g) }
        }
      }
    }
    let genres = genreNames.count
    var sizes = [Int](repeating: 0, count: k)
    var ratingCounts = [Int](repeating: 0, count: k)
    var ratingSums = [Double](repeating: 0, count: k)
    var highTotals = [Int](repeating: 0, count: k)
    var highByFilm = [Int](repeating: 0, count: k * items)
    var highByGenre = [Int](repeating: 0, count: k * genres)
    for (u, s) in labels.enumerated() {
      sizes[s] += 1
      let (itemIndices, values) = ratings.ratings(ofUser: u)
      for (item, value) in zip(itemIndices, values) {
        ratingCounts[s] += 1
        ratingSums[s] += Double(value)
        guard value >= threshold else { continue }
        highTotals[s] += 1
        highByFilm[s * items + Int(item)] += 1
        for g in itemGenres[Int(item)] { highByGenre[s * genres + g] += 1 }
      }
    }
    let allHigh = Double(highTotals.reduce(0, +))
    var globalFilm = [Int](repeating: 0, count: items)
    var globalGenre = [Int](repeating: 0, count: genres)
    for s in 0..<k {
      for i in 0..<items { globalFilm[i] += highByFilm[s * items + i] }
      for g in 0..<genres { globalGenre[g] += highByGenre[s * genres + g] }
    }
    var profiles: [SegmentProfile] = []
    var usedLabels: [String: Int] = [:]
    for s in 0..<k {
      let segmentHigh = Double(highTotals[s])
      var films: [Film] = []
      for i in 0..<items {
        let count = highByFilm[s * items + i]
        guard count >= options.minimumSupport else { continue }
        let lift = (Double(count) / segmentHigh) / (Double(globalFilm[i]) / allHigh)
        films.append(
          Film(
            item: i, id: ratings.items.id(at: i), title: titles[i], highRatings: count, lift: lift))
      }
      films.sort {
        ($0.lift, $0.highRatings, -$0.item) > ($1.lift, $1.highRatings, -$1.item)
      }
      var shares: [(share: GenreShare, index: Int)] = []
      for g in 0..<genres {
        let count = highByGenre[s * genres + g]
        guard count >= options.minimumSupport else { continue }
        let share = Double(count) / segmentHigh
        let global = Double(globalGenre[g]) / allHigh
        shares.append(
          (
            GenreShare(
              name: genreNames[g], highRatings: count, share: share, globalShare: global,
              lift: share / global), g
          ))
      }
      shares.sort { ($0.share.lift, -$0.index) > ($1.share.lift, -$1.index) }
      var label: String
      if catalog == nil || genres == 0 {
        label = "Segment \(s)"
      } else {
        let top = shares.prefix(2).filter { $0.share.lift > 1 }.map(\.share.name)
        label = top.isEmpty ? "Mixed" : top.joined(separator: " · ")
      }
      if let seen = usedLabels[label] {
        usedLabels[label] = seen + 1
        label += " (\(seen + 1))"
      } else {
        usedLabels[label] = 1
      }
      profiles.append(
        SegmentProfile(
          segment: s, label: label, size: sizes[s],
          share: labels.isEmpty ? 0 : Double(sizes[s]) / Double(labels.count),
          ratingCount: ratingCounts[s],
          meanRating: ratingCounts[s] > 0 ? ratingSums[s] / Double(ratingCounts[s]) : nil,
          activity: sizes[s] > 0 ? Double(ratingCounts[s]) / Double(sizes[s]) : 0,
          highRatingCount: highTotals[s], films: Array(films.prefix(options.filmCount)),
          genres: shares.prefix(options.genreCount).map(\.share)))
    }
    return profiles
  }
}
