import AFlixData

/// A group of users sharing one attribute value.
enum DemographicGroup: Sendable, Hashable, Codable {
  case ageBand(AgeBand)
  case gender(String)
  case occupation(String)
}

/// Rating counts by demographic group: for each group (an age band, a gender, an occupation)
/// the number of its users with at least one rating and each item's number of ratings by them.
struct DemographicCounts: Sendable, Hashable, Codable {
  /// The groups, in first-seen order of user index.
  var groups: [DemographicGroup]
  /// Users of each group with at least one training rating.
  var userCounts: [Int]
  /// Each group's item counts (`groups.count` vectors of the item count).
  var itemCounts: [[Int32]]
  /// Users with at least one training rating.
  var activeUsers: Int

  /// Counts `data`'s ratings by the groups of `attributes` (nothing without attributes).
  init(data: RatingsDataset, attributes: UserAttributeTable?) {
    var groups: [DemographicGroup] = []
    var position: [DemographicGroup: Int] = [:]
    var userCounts: [Int] = []
    var itemCounts: [[Int32]] = []
    var active = 0
    for u in 0..<data.userCount {
      let (rated, _) = data.ratings(ofUser: u)
      guard !rated.isEmpty else { continue }
      active += 1
      guard let user = attributes?.attributes(of: data.users.id(at: u)) else { continue }
      for group in Self.groups(of: user) {
        let p: Int
        if let known = position[group] {
          p = known
        } else {
          p = groups.count
          position[group] = p
          groups.append(group)
          userCounts.append(0)
          itemCounts.append([Int32](repeating: 0, count: data.itemCount))
        }
        userCounts[p] += 1
        for i in rated { itemCounts[p][Int(i)] += 1 }
      }
    }
    self.groups = groups
    self.userCounts = userCounts
    self.itemCounts = itemCounts
    self.activeUsers = active
  }

  /// The groups a user with `attributes` belongs to.
  static func groups(of attributes: UserAttributes) -> [DemographicGroup] {
    var out: [DemographicGroup] = []
    if let band = attributes.ageBand { out.append(.ageBand(band)) }
    if let gender = attributes.gender { out.append(.gender(gender)) }
    if let occupation = attributes.occupation { out.append(.occupation(occupation)) }
    return out
  }
}

extension PopularityStrata {
  /// Popularity among users like the one described: for each attribute given whose group has
  /// training users, the share of the group's users who rated the item; the score is the mean
  /// of those shares (in 0…1). Attributes given as `nil`, or whose group is empty (an
  /// occupation no training user has), are left out; when none is left — or the strata were
  /// fitted without attributes — the score is the share of all training users who rated the
  /// item (the order of ``popularity``).
  ///
  /// Age is grouped in `AgeBand`s (MovieLens 1M's: under 18, 18–24, 25–34, 35–44, 45–49,
  /// 50–55, 56+); gender and occupation match exactly as spelt in the attributes.
  ///
  /// ```swift
  /// let scores = strata.demographic(age: 22, gender: "F", occupation: "student")
  /// ```
  public func demographic(age: Int?, gender: String?, occupation: String?) -> [Float] {
    demographic(
      for: UserAttributes(id: .int(0), age: age, gender: gender, occupation: occupation))
  }

  /// ``demographic(age:gender:occupation:)`` for a user's attributes (the id is not used).
  public func demographic(for attributes: UserAttributes) -> [Float] {
    let d = demographics
    let index = Dictionary(
      d.groups.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    let usable = DemographicCounts.groups(of: attributes).compactMap { group -> Int? in
      guard let p = index[group], d.userCounts[p] > 0 else { return nil }
      return p
    }
    guard !usable.isEmpty else {
      let users = Float(max(1, d.activeUsers))
      return popularity.map { $0 / users }
    }
    var scores = [Float](repeating: 0, count: items.count)
    for p in usable {
      let share = 1 / (Float(d.userCounts[p]) * Float(usable.count))
      for (i, c) in d.itemCounts[p].enumerated() { scores[i] += Float(c) * share }
    }
    return scores
  }

  /// ``demographic(for:)`` for the training user with id `id`, with the attributes the strata
  /// hold for them; `nil` for an unknown id or a user without attributes.
  public func demographic(forUser id: EntityID) -> [Float]? {
    attributes(ofUser: id).map { demographic(for: $0) }
  }
}
