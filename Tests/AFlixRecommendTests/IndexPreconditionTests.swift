import AFlixData
import AFlixLinalg
import AFlixRecommend
import Testing

/// Index-based calls document their range as a checked precondition (a trap, never an
/// out-of-bounds read), and their id-based twins never trap.
@Suite("Index preconditions")
struct IndexPreconditionTests {
  static func model() -> ImplicitALSModel {
    let users = IDMap([1, 2, 3])
    let items = IDMap([10, 20])
    return ImplicitALSModel(
      users: users, items: items, userFactors: Matrix(rows: 3, columns: 2),
      itemFactors: Matrix(rows: 2, columns: 2))
  }

  @Test func outOfRangeUserIndicesTrap() async {
    await #expect(processExitsWith: .failure) {
      _ = IndexPreconditionTests.model().scores(forUser: -5)
    }
    await #expect(processExitsWith: .failure) {
      _ = IndexPreconditionTests.model().scores(forUser: 3)
    }
    await #expect(processExitsWith: .failure) {
      _ = IndexPreconditionTests.model().scores(forUser: Int.max)
    }
  }

  @Test func outOfRangeIndicesOfOtherModelsTrap() async {
    await #expect(processExitsWith: .failure) {
      let m = BPRModel(
        users: IDMap([1]), items: IDMap([1]), userFactors: Matrix(rows: 1, columns: 1),
        itemFactors: Matrix(rows: 1, columns: 1), itemBias: [0])
      _ = m.scores(forUser: -5)
    }
    await #expect(processExitsWith: .failure) {
      let m = BaselineModel(
        users: IDMap([1]), items: IDMap([1]), scale: .oneToFive, globalMean: 3, userBias: [0],
        itemBias: [0])
      _ = m.predict(user: 0, item: 7)
    }
    await #expect(processExitsWith: .failure) {
      _ = IndexPreconditionTests.model().scores(forUsers: [0, 9])
    }
    await #expect(processExitsWith: .failure) {
      _ = IndexPreconditionTests.model().similarities(toItem: -1)
    }
  }

  @Test func idBasedTwinsNeverTrap() {
    let m = Self.model()
    #expect(m.scores(forUserID: 99).source == .averageUser)
    #expect(m.recommend(user: -5, count: 3).source == .averageUser)
    #expect(m.similarItems(to: -1, count: 3).source == .averageUser)
    #expect(m.recommend(users: [1, 99], count: 1).map(\.source) == [.model, .averageUser])
  }
}
