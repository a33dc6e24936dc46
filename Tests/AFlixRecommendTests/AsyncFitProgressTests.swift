import AFlixData
import AFlixRecommend
import Testing

@Suite struct AsyncFitProgressTests {
  @Test(arguments: AsyncFitTestSupport.algorithms)
  func stepsArriveInOrderFromOneToTotal(_ algorithm: any RecommenderAlgorithm) async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    let recorder = ProgressRecorder()
    _ = try await algorithm.fit(train, options: FitOptions(progress: recorder.handler))
    let events = recorder.topLevel
    let total = try #require(events.first?.totalSteps)
    #expect(total >= 1)
    #expect(events.map(\.step) == Array(1...total))
    #expect(events.allSatisfy { $0.totalSteps == total && $0.algorithm == algorithm.name })
  }

  @Test func lossesAreReportedWhereTheLoopHasThem() async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    for algorithm in [
      Baseline(epochs: 4), SVDPlusPlus(factors: 8, epochs: 6, seed: 3),
      BPR(factors: 8, epochs: 6, seed: 3),
    ] as [any RecommenderAlgorithm] {
      let recorder = ProgressRecorder()
      _ = try await algorithm.fit(train, options: FitOptions(progress: recorder.handler))
      let losses = recorder.topLevel.compactMap(\.loss)
      #expect(losses.count == recorder.topLevel.count, "\(algorithm.name)")
      #expect(losses.allSatisfy { $0.isFinite && $0 > 0 }, "\(algorithm.name)")
      // Training error falls as the descent proceeds.
      #expect(try #require(losses.last) < (try #require(losses.first)), "\(algorithm.name)")
    }
    let recorder = ProgressRecorder()
    _ = try await ImplicitALS(factors: 4, iterations: 2).fit(
      train, options: FitOptions(progress: recorder.handler))
    #expect(recorder.topLevel.allSatisfy { $0.loss == nil })
  }

  @Test func baselineLossIsTheTrainingRMSE() async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    let recorder = ProgressRecorder()
    let model = try await Baseline(epochs: 3).fit(
      train, options: FitOptions(progress: recorder.handler))
    let reported = try #require(recorder.topLevel.last?.loss)
    var squares = 0.0
    for u in 0..<train.userCount {
      let (items, values) = train.ratings(ofUser: u)
      for (i, r) in zip(items, values) {
        let e =
          Double(r) - Double(model.globalMean) - Double(model.userBias[u])
          - Double(model.itemBias[Int(i)])
        squares += e * e
      }
    }
    let direct = (squares / Double(train.ratingCount)).squareRoot()
    #expect(abs(reported - direct) < 1e-5 * direct)
  }

  @Test func blendReportsItsStepsAndItsMembersSteps() async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    let blend = Blend(
      members: [Baseline(epochs: 2), BiasedMF(factors: 4, epochs: 3, seed: 1)], seed: 1)
    let recorder = ProgressRecorder()
    _ = try await blend.fit(train, options: FitOptions(progress: recorder.handler))
    #expect(recorder.topLevel.map(\.step) == Array(1...5))
    #expect(recorder.topLevel.allSatisfy { $0.algorithm == "blend" && $0.totalSteps == 5 })
    let members = recorder.all.filter { !$0.enclosing.isEmpty }
    #expect(members.allSatisfy { $0.enclosing == ["blend"] })
    // Each member is fitted twice (on the slice, then on everything), epoch by epoch.
    #expect(members.filter { $0.algorithm == "baseline" }.map(\.step) == [1, 2, 1, 2])
    #expect(members.filter { $0.algorithm == "mf-sgd" }.map(\.step) == [1, 2, 3, 1, 2, 3])
  }

  @Test func fitEventsYieldProgressThenTheModel() async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    let algorithm = BiasedMF(factors: 8, epochs: 4, seed: 5)
    var steps: [Int] = []
    var model: BiasedMFModel?
    for try await event in algorithm.fitEvents(train, options: FitOptions(threadCount: 1)) {
      #expect(model == nil, "nothing may follow the model")
      switch event {
      case .progress(let p): steps.append(p.step)
      case .finished(let m): model = m
      }
    }
    #expect(steps == [1, 2, 3, 4])
    let fitted = try #require(model)
    #expect(fitted == (try algorithm.fit(train)))
  }
}
