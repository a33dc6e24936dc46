import AFlixData
import AFlixLinalg
import AFlixRecommend
import Testing

/// `ImplicitALSModel(users:items:userFactors:itemFactors:history:)`: a model built from its parts
/// with a history excludes those items, like a fitted one.
@Suite("Implicit ALS model built with a history")
struct ImplicitALSModelHistoryTests {
  @Test func builtHistoryIsExcludedByDefault() throws {
    var rng = SeededGenerator(seed: 9)
    let users = 3
    let items = 12
    let k = 4
    let userFactors = Matrix<Float>(
      rows: users, columns: k, elements: (0..<(users * k)).map { _ in Float(rng.nextGaussian()) })
    let itemFactors = Matrix<Float>(
      rows: items, columns: k, elements: (0..<(items * k)).map { _ in Float(rng.nextGaussian()) })
    let history = try UserHistory(
      offsets: [0, 3, 3, 5], itemIndices: [1, 4, 7, 0, 11], items: items)
    let model = ImplicitALSModel(
      users: IDMap((1...users).map { EntityID.int($0) }),
      items: IDMap((1...items).map { EntityID.int($0 * 10) }), userFactors: userFactors,
      itemFactors: itemFactors, history: history)
    #expect(model.history == history)
    for u in 0..<users {
      let seen = Set(history.items(ofUser: u).map { model.items.id(at: Int($0)) })
      let all = model.recommend(user: .int(u + 1), count: items)
      #expect(all.items.count == items - seen.count)
      #expect(all.items.allSatisfy { !seen.contains($0.item) })
      let unexcluded = model.recommend(user: .int(u + 1), count: items, excluding: .nothing)
      #expect(unexcluded.items.count == items)
    }
    let plain = ImplicitALSModel(
      users: model.users, items: model.items, userFactors: userFactors, itemFactors: itemFactors)
    #expect(plain.history == UserHistory(emptyFor: users))
  }
}
