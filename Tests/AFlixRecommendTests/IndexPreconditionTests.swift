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

/// A matrix whose elements do not fill its shape never reaches BLAS.
@Suite("Malformed matrices")
struct MalformedMatrixTests {
  @Test func productsAndModelsRefuseAMatrixThatDoesNotFillItsShape() async {
    var m = Matrix<Float>(rows: 3, columns: 2)
    #expect(m.isWellFormed)
    m.elements = []
    #expect(!m.isWellFormed)
    await #expect(processExitsWith: .failure) {
      var bad = Matrix<Float>(rows: 1_000, columns: 30)
      bad.elements = []
      _ = bad.serialMultiplied(by: [Float](repeating: 1, count: 30))
    }
    await #expect(processExitsWith: .failure) {
      var bad = Matrix<Float>(rows: 2, columns: 2)
      bad.elements = [1]
      _ = ImplicitALSModel(
        users: IDMap([1, 2]), items: IDMap([1, 2]), userFactors: Matrix(rows: 2, columns: 2),
        itemFactors: bad)
    }
  }
}

/// A fit record read from a file holds any number: fold-in never converts one with a trap.
@Suite("Tampered fit records")
struct TamperedFitRecordTests {
  @Test(arguments: [1e19, 1e300, -5, 0.5, 3])
  func bayesianFoldInWithAnyFactorCountNeverTraps(factors: Double) throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 40, items: 30, seed: 4)
    var model = try BayesianMF(factors: 2, burnIn: 2, samples: 2, seed: 1).fit(train)
    model.fitRecord?.hyperparameters["factors"] = .number(factors)
    let result = model.recommend(forRatings: [(item: train.items.id(at: 0), value: 4)], count: 3)
    #expect(result.items.count == 3)
    // 3 does not divide the 4 stored factor columns, 1e19 is no count: the fallback answers.
    if factors != 2 { #expect(result.source == model.scoresForUnknownUser().source) }
  }
}

/// Models built from their parts can carry a history; one that does not fit the model traps.
@Suite("Histories of models built from parts")
struct PartsHistoryTests {
  @Test func aGivenHistoryIsLeftOutAndAMismatchedOneTraps() async throws {
    let history = try UserHistory(offsets: [0, 1], itemIndices: [1], items: 3)
    let model = BaselineModel(
      users: IDMap([7]), items: IDMap([10, 20, 30]), scale: .oneToFive, globalMean: 3,
      userBias: [0], itemBias: [0.1, 0.3, 0.2], history: history)
    #expect(model.recommend(user: 7, count: 3).items.map(\.item) == [30, 10])
    await #expect(processExitsWith: .failure) {
      let wrong = try? UserHistory(offsets: [0, 1], itemIndices: [5], items: 9)
      _ = BaselineModel(
        users: IDMap([7]), items: IDMap([10, 20, 30]), scale: .oneToFive, globalMean: 3,
        userBias: [0], itemBias: [0, 0, 0], history: wrong)
    }
  }
}
