import AFlixData
import Foundation

/// The computation of ``PopularityStrata``: one user-major pass over the ratings, then the
/// per-item figures.
struct StrataFit {
  let data: RatingsDataset
  let catalog: Catalog?
  let attributes: UserAttributeTable?
  let referenceTime: Int64?
  let configuration: PopularityStrata.Configuration

  func parts() -> PopularityStrata.Parts {
    let n = data.itemCount
    let counts = data.itemDegrees()
    let ref = referenceTime ?? data.latestTimestamp
    var sums = [Double](repeating: 0, count: n)
    var decayed = [Double](repeating: 0, count: n)
    var recent = [Int](repeating: 0, count: n)
    var previous = [Int](repeating: 0, count: n)
    var first = [Int64?](repeating: nil, count: n)
    let timed = data.hasTimestamps && ref != nil
    let halfLife = Double(configuration.halfLife)
    let window = configuration.risingWindow
    for u in 0..<data.userCount {
      let (rated, values) = data.ratings(ofUser: u)
      let times = timed ? data.timestamps(ofUser: u) : nil
      for (k, item) in rated.enumerated() {
        let i = Int(item)
        sums[i] += Double(values[values.startIndex + k])
        guard let times, let ref else { continue }
        let t = times[times.startIndex + k]
        if first[i].map({ t < $0 }) ?? true { first[i] = t }
        guard t <= ref else { continue }
        let age = ref - t
        decayed[i] += Self.decay(age: age, halfLife: halfLife)
        if age < window {
          recent[i] += 1
        } else if age < 2 * window {
          previous[i] += 1
        }
      }
    }
    let m = configuration.minimumVotes.resolved(counts: counts)
    let c = data.globalMean
    let means = (0..<n).map { i in counts[i] > 0 ? sums[i] / Double(counts[i]) : c }
    let weighted = (0..<n).map { i in
      Float(Self.weightedRating(count: counts[i], mean: means[i], minimumVotes: m, globalMean: c))
    }
    let popularity = counts.map { Float($0) }
    let (genres, offsets, itemGenres) = genreTable()
    return PopularityStrata.Parts(
      users: data.users, items: data.items, configuration: configuration,
      referenceTime: timed ? ref : nil, minimumVotes: m, globalMean: c, popularity: popularity,
      meanRatings: means.map { Float($0) }, weightedRatings: weighted,
      latest: latestScores(counts: counts, first: first),
      trending: timed ? decayed.map { Float($0) } : popularity,
      recentCounts: recent, previousCounts: previous,
      rising: (0..<n).map { Self.rising(recent: recent[$0], previous: previous[$0]) },
      cultClassics: Self.rankedLast(
        weighted, below: (0..<n).map { counts[$0] >= m }),
      genres: genres, itemGenreOffsets: offsets, itemGenres: itemGenres,
      demographics: DemographicCounts(data: data, attributes: attributes),
      userAttributes: attributes.map { table in
        (0..<data.userCount).map { table.attributes(of: data.users.id(at: $0)) }
      } ?? [])
  }

  /// `2^(−age/halfLife)`.
  static func decay(age: Int64, halfLife: Double) -> Double {
    pow(2, -Double(age) / halfLife)
  }

  /// `(recent − previous) / √(previous + 1)`.
  static func rising(recent: Int, previous: Int) -> Float {
    Float(Double(recent - previous) / Double(previous + 1).squareRoot())
  }

  /// `v/(v+m)·R + m/(v+m)·C`, computed as `(v·R + m·C)/(v + m)`.
  static func weightedRating(
    count v: Int, mean r: Double, minimumVotes m: Int, globalMean c: Double
  )
    -> Double
  {
    (Double(v) * r + Double(m) * c) / Double(v + m)
  }

  /// `scores` with every entry whose `keep` is false moved below every kept entry (shifted down
  /// by the range of `scores` plus 1), keeping the order within each part.
  static func rankedLast(_ scores: [Float], below keep: [Bool]) -> [Float] {
    guard let lo = scores.min(), let hi = scores.max() else { return scores }
    let shift = hi - lo + 1
    return zip(scores, keep).map { $1 ? $0 : $0 - shift }
  }

  /// Latest: `(n − rank)/n` for the order by year (catalog, else of the first rating; items
  /// with neither last), then count, then index.
  func latestScores(counts: [Int], first: [Int64?]) -> [Float] {
    let n = data.itemCount
    let years: [Int?] = (0..<n).map { i in
      if let year = catalog?.movie(withID: data.items.id(at: i))?.year { return year }
      return first[i].map(Self.civilYear(ofTimestamp:))
    }
    let order = (0..<n).sorted { a, b in
      switch (years[a], years[b]) {
      case (let x?, let y?) where x != y: return x > y
      case (.some, nil): return true
      case (nil, .some): return false
      default: return counts[a] != counts[b] ? counts[a] > counts[b] : a < b
      }
    }
    var scores = [Float](repeating: 0, count: n)
    for (rank, i) in order.enumerated() { scores[i] = Float(n - rank) / Float(n) }
    return scores
  }

  /// The UTC calendar year of a Unix time (proleptic Gregorian; days from civil, inverted).
  static func civilYear(ofTimestamp t: Int64) -> Int {
    let days = Int(t >= 0 ? t / 86_400 : (t - 86_399) / 86_400)
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let month = mp < 10 ? mp + 3 : mp - 9
    return yoe + era * 400 + (month <= 2 ? 1 : 0)
  }

  /// The distinct genres of the dataset's items (first seen by item index) and each item's.
  func genreTable() -> (genres: [Genre], offsets: [Int], itemGenres: [Int32]) {
    var genres: [Genre] = []
    var position: [Genre: Int32] = [:]
    var offsets = [0]
    var itemGenres: [Int32] = []
    for i in 0..<data.itemCount {
      var seen = Set<Int32>()
      for genre in catalog?.movie(withID: data.items.id(at: i))?.genres ?? [] {
        let p: Int32
        if let known = position[genre] {
          p = known
        } else {
          p = Int32(genres.count)
          position[genre] = p
          genres.append(genre)
        }
        if seen.insert(p).inserted { itemGenres.append(p) }
      }
      offsets.append(itemGenres.count)
    }
    return (genres, offsets, itemGenres)
  }
}
