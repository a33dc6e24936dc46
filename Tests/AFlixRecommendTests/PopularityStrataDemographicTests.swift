import AFlixData
import AFlixRecommend
import Foundation
import Testing

/// Demographic match against brute-force shares.
@Suite("Popularity strata: demographic")
struct PopularityStrataDemographicTests {
  /// Users 1…5 rate items 10…13; user 6 is in the id map without ratings.
  static func dataset() throws -> RatingsDataset {
    let pairs: [(Int, Int)] = [
      (1, 10), (1, 11), (2, 10), (2, 12), (3, 11), (3, 12), (3, 13), (4, 13), (5, 10), (6, 11),
    ]
    let full = try RatingsDataset(
      ratings: pairs.map { Rating(user: .int($0.0), item: .int($0.1), value: 4) }, scale: .oneToFive
    )
    return full.subset(userMajorIndices: Array(0..<(full.ratingCount - 1)))
  }

  static func attributes() throws -> UserAttributeTable {
    try UserAttributeTable([
      UserAttributes(id: 1, age: 20, gender: "F", occupation: "student"),
      UserAttributes(id: 2, age: 23, gender: "M", occupation: "student"),
      UserAttributes(id: 3, age: 40, gender: "F", occupation: "writer"),
      // 4 has no attributes; 6 has attributes but no rating; 99 is not in the data.
      UserAttributes(id: 5, age: 60),
      UserAttributes(id: 6, age: 21, gender: "F", occupation: "student"),
      UserAttributes(id: 99, age: 22, gender: "M", occupation: "pilot"),
    ])
  }

  /// The share of the users (with ratings) matching `predicate` who rated each item.
  static func share(
    _ data: RatingsDataset, _ table: UserAttributeTable, _ predicate: (UserAttributes) -> Bool
  )
    -> [Float]
  {
    let ratings = data.allRatings()
    let group = Set(ratings.map(\.user)).filter { table.attributes(of: $0).map(predicate) ?? false }
    return data.items.ids.map { item in
      Float(ratings.filter { $0.item == item && group.contains($0.user) }.count)
        / Float(group.count)
    }
  }

  static func close(_ a: [Float]?, _ b: [Float]) -> Bool {
    guard let a, a.count == b.count else { return false }
    return zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 }
  }

  @Test func oneAttributeIsTheShareOfItsGroup() throws {
    let data = try Self.dataset()
    let table = try Self.attributes()
    let strata = try PopularityStrata(fitting: data, attributes: table)
    #expect(strata.hasAttributes)
    let young = Self.share(data, table) { $0.ageBand == .from18To24 }
    #expect(Self.close(strata.demographic(age: 24, gender: nil, occupation: nil), young))
    #expect(
      Self.close(
        strata.demographic(age: nil, gender: "F", occupation: nil),
        Self.share(data, table) { $0.gender == "F" }))
    #expect(
      Self.close(
        strata.demographic(age: nil, gender: nil, occupation: "student"),
        Self.share(data, table) { $0.occupation == "student" }))
  }

  @Test func severalAttributesAverageTheirShares() throws {
    let data = try Self.dataset()
    let table = try Self.attributes()
    let strata = try PopularityStrata(fitting: data, attributes: table)
    let a = Self.share(data, table) { $0.ageBand == .from35To44 }
    let g = Self.share(data, table) { $0.gender == "F" }
    let scores = strata.demographic(age: 40, gender: "F", occupation: "pilot")  // no pilot rated
    for i in scores.indices { #expect(abs(scores[i] - (a[i] + g[i]) / 2) < 1e-6) }
    // A known user's own attributes; unknown users and users without attributes get nil.
    #expect(strata.demographic(forUser: 3) == strata.demographic(for: table.attributes(of: 3)!))
    #expect(strata.demographic(forUser: 4) == nil)
    #expect(strata.demographic(forUser: 99) == nil)
    #expect(strata.attributes(ofUser: 1)?.occupation == "student")
  }

  @Test func withoutUsableAttributesItIsThePopularityShare() throws {
    let data = try Self.dataset()
    let active = Float(Set(data.allRatings().map(\.user)).count)  // 5: user 6 has no rating
    let expected = data.itemDegrees().map { Float($0) / active }
    let bare = try PopularityStrata(fitting: data)
    #expect(!bare.hasAttributes)
    #expect(Self.close(bare.demographic(age: 20, gender: "F", occupation: "student"), expected))
    #expect(bare.demographic(forUser: 1) == nil)
    let strata = try PopularityStrata(fitting: data, attributes: try Self.attributes())
    #expect(Self.close(strata.demographic(age: nil, gender: nil, occupation: nil), expected))
    #expect(
      Self.close(strata.demographic(age: nil, gender: "X", occupation: "astronaut"), expected))
  }
}
