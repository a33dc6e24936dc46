import AFlixData
import AFlixLinalg
import AFlixRecommend
import Testing

@Suite struct AsyncFitDeterminismTests {
  @Test(arguments: AsyncFitTestSupport.algorithms)
  func asyncFitEqualsSyncFitBitForBit(_ algorithm: any RecommenderAlgorithm) async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    let (sync, async) = try await AsyncFitTestSupport.syncAndAsync(algorithm, train, threads: 1)
    #expect(!sync.isEmpty)
    #expect(sync == async)
  }

  @Test func concurrentFitsWithDifferentThreadCountsEqualTheirSequentialFits() async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    let mf = BiasedMF(factors: 8, epochs: 20, seed: 11)
    let ials = ImplicitALS(factors: 8, iterations: 6, seed: 11)
    let mfAlone = try Parallelism.withThreadCount(2) { try mf.fit(train) }
    let ialsAlone = try Parallelism.withThreadCount(1) { try ials.fit(train) }
    let mf2 = BiasedMF(factors: 8, epochs: 20, seed: 12)
    let mf2Alone = try Parallelism.withThreadCount(1) { try mf2.fit(train) }
    async let a = mf.fit(train, options: FitOptions(threadCount: 2))
    async let b = ials.fit(train, options: FitOptions(threadCount: 1))
    async let c = mf2.fit(train, options: FitOptions(threadCount: 1))
    let (ma, mb, mc) = try await (a, b, c)
    #expect(ma == mfAlone)
    #expect(mb == ialsAlone)
    #expect(mc == mf2Alone)
  }

  @Test func aNilThreadCountUsesTheCallersBoundCount() async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    let algorithm = BiasedALS(factors: 8, iterations: 2, seed: 4)
    let sync = try Parallelism.withThreadCount(3) { try algorithm.fit(train) }
    let async = try await Parallelism.withThreadCount(3) {
      try await algorithm.fit(train, options: FitOptions())
    }
    #expect(async == sync)
  }
}
