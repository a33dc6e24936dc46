import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

/// `recommend(user:…)`, its exclusions and filters, the batch path and the model-file history.
@Suite("Recommendations by external id")
struct RecommendByIDTests {
  static func fitted() throws -> (RatingsDataset, any RecommenderModel) {
    let (train, _) = try FactorTestData.noisyLowRank(users: 120, items: 80, seed: 3)
    return (train, try ImplicitALS(factors: 8, iterations: 5, seed: 1).fit(train))
  }

  /// The reference: every item scored, the rated ones removed, sorted by score then index.
  static func reference(_ scores: [Float], excluding excluded: Set<Int>, count: Int) -> [Int] {
    let order = scores.indices.filter { !excluded.contains($0) }.sorted {
      scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1
    }
    return Array(order.prefix(count))
  }

  @Test func knownUserGetsTheBestUnratedItemsBestFirst() throws {
    let (train, model) = try Self.fitted()
    for u in [0, 17, 119] {
      let id = train.users.id(at: u)
      let rated = Set(train.ratings(ofUser: u).items.map { Int($0) })
      #expect(!rated.isEmpty)
      let result = model.recommend(user: id, count: 10)
      #expect(result.source == .model)
      let expected = Self.reference(model.scores(forUser: u), excluding: rated, count: 10)
      #expect(result.items.map(\.item) == expected.map { model.items.id(at: $0) })
      #expect(result.items.allSatisfy { !rated.contains(model.items.index(of: $0.item)!) })
      #expect(zip(result.items, result.items.dropFirst()).allSatisfy { $0.score >= $1.score })
    }
  }

  @Test func exclusionCanBeTurnedOffOrExtended() throws {
    let (train, model) = try Self.fitted()
    let id = train.users.id(at: 5)
    let all = model.recommend(user: id, count: 80, excluding: .nothing)
    #expect(all.items.count == 80)
    let top = model.recommend(user: id, count: 3)
    let extended = model.recommend(
      user: id, count: 3, excluding: .rated(and: [top.items[0].item, "no such film"]))
    #expect(
      extended.items.map(\.item)
        == Array(model.recommend(user: id, count: 4).items.dropFirst().map(\.item)))
    #expect(extended.ignoredItems == ["no such film"])
  }

  @Test func filtersRestrictTheCandidates() throws {
    let (train, model) = try Self.fitted()
    let id = train.users.id(at: 9)
    let even = model.recommend(user: id, count: 5, where: .matching { ($0.intValue ?? 1) % 2 == 0 })
    #expect(even.items.count == 5 && even.items.allSatisfy { $0.item.intValue! % 2 == 0 })
    let reference = model.recommend(user: id, count: 80).items.filter { $0.item.intValue! % 2 == 0 }
    #expect(even.items == Array(reference.prefix(5)))
    let allowed: [EntityID] = [3, 4, 5, 999]
    let listed = model.recommend(user: id, count: 10, excluding: .nothing, where: .only(allowed))
    #expect(Set(listed.items.map(\.item)).isSubset(of: [3, 4, 5]) && listed.items.count == 3)
    #expect(listed.ignoredItems == [999])
  }

  @Test func unknownUsersAndOddCountsNeverTrap() throws {
    let (_, model) = try Self.fitted()
    let stranger = model.recommend(user: "stranger", count: 5)
    #expect(stranger.source == .averageUser && stranger.items.count == 5)
    #expect(model.recommend(user: "stranger", count: 0).items.isEmpty)
    #expect(model.recommend(user: "stranger", count: -3).items.isEmpty)
    #expect(model.recommend(user: 0, count: Int.max, excluding: .nothing).items.count == 80)
  }

  @Test func batchEqualsOneCallPerUser() throws {
    let (train, model) = try Self.fitted()
    let ids = (0..<train.userCount).map { train.users.id(at: $0) } + ["stranger"]
    for (block, threads) in [(1, 1), (7, 1), (256, 1), (7, 2), (16, 4)] {
      let batch = model.recommend(
        users: ids, count: 7, options: ServingOptions(blockSize: block, threadCount: threads))
      let single = ids.map { model.recommend(user: $0, count: 7) }
      // One matrix product and one matrix–vector product may differ in the last bits.
      let same = zip(batch, single).allSatisfy { b, s in
        b.source == s.source && b.items.map(\.item) == s.items.map(\.item)
          && zip(b.items, s.items).allSatisfy { abs($0.score - $1.score) <= 1e-5 }
      }
      #expect(batch.count == ids.count && same, "block size \(block), \(threads) threads")
    }
  }

  @Test func similarItemsByCosineOfItemFactors() throws {
    let (_, model) = try Self.fitted()
    let als = try #require(model as? ImplicitALSModel)
    let target = 4
    let result = model.similarItems(to: als.items.id(at: target), count: 5)
    #expect(result.source == .model)
    let k = als.factorCount
    func row(_ i: Int) -> [Float] { Array(als.itemFactors.elements[(i * k)..<(i * k + k)]) }
    func cosine(_ a: [Float], _ b: [Float]) -> Float {
      let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
      let na = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
      let nb = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
      return dot / (na * nb)
    }
    let others = (0..<als.items.count).filter { $0 != target }
    let similarity: [(Int, Float)] = others.map { ($0, cosine(row(target), row($0))) }
    let expected = similarity.sorted { a, b in a.1 != b.1 ? a.1 > b.1 : a.0 < b.0 }.prefix(5)
    #expect(result.items.map(\.item) == expected.map { als.items.id(at: $0.0) })
    for (got, want) in zip(result.items, expected) { #expect(abs(got.score - want.1) < 1e-4) }
    #expect(!result.items.contains { $0.item == als.items.id(at: target) })
    #expect(model.similarItems(to: "unknown", count: 3).source == .averageUser)
  }

  @Test func historyTravelsInTheModelFile() throws {
    let (train, model) = try Self.fitted()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-history-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("ials.aflix")
    try model.save(to: url)
    let loaded = try ModelRegistry.load(from: url)
    #expect(loaded.history == UserHistory(train))
    let id = train.users.id(at: 3)
    #expect(loaded.recommend(user: id, count: 10) == model.recommend(user: id, count: 10))
  }

  @Test func malformedHistoriesAreTypedErrors() {
    #expect(throws: RecommendError.self) {
      try UserHistory(offsets: [0, 100, 2], itemIndices: [0, 1], items: 5)
    }
    #expect(throws: RecommendError.self) {
      try UserHistory(offsets: [0, 2], itemIndices: [1, 1], items: 5)
    }
    #expect(throws: RecommendError.self) {
      try UserHistory(offsets: [0, 1], itemIndices: [7], items: 5)
    }
    #expect(throws: RecommendError.self) { try UserHistory(offsets: [], itemIndices: [], items: 5) }
    #expect((try? UserHistory(offsets: [0, 2, 2], itemIndices: [0, 4], items: 5)) != nil)
  }
}
