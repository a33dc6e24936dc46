import AFlixData
import AFlixRecommend
import Testing

/// EASE refuses a fit whose memory estimate exceeds its budget, before allocating.
@Suite("EASE memory budget")
struct EASEMemoryBudgetTests {
  @Test func estimateIsTwentyBytesPerItemPairAndSaturates() {
    #expect(EASE.estimatedFitMemory(items: 50_000) == 50_000_000_000)
    #expect(EASE.estimatedFitMemory(items: 0) == 0)
    #expect(EASE.estimatedFitMemory(items: Int.max) == Int.max)
    #expect(EASE.estimatedFitMemory(items: 1 << 31) == Int.max)
    #expect(EASE.estimatedFitMemory(items: -5) == 0)
  }

  @Test func aFitAboveTheBudgetIsATypedErrorNamingTheEstimate() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 50, items: 300, seed: 2)
    var ease = EASE()
    ease.memoryBudget = EASE.estimatedFitMemory(items: train.itemCount) - 1
    do {
      _ = try ease.fit(train)
      Issue.record("a fit above the budget succeeded")
    } catch let error as RecommendError {
      #expect(error.kind == .memoryBudgetExceeded)
      #expect(error.message.contains("\(train.itemCount) items") && error.message.contains("GiB"))
    }
    ease.memoryBudget = EASE.estimatedFitMemory(items: train.itemCount)
    #expect(try ease.fit(train).items.count == train.itemCount)
  }

  @Test func theBudgetIsNotAHyperparameter() {
    var ease = EASE()
    ease.memoryBudget = 1
    #expect(ease.fitRecord == EASE().fitRecord)
    #expect(ease.fitRecord.hyperparameters["memoryBudget"] == nil)
  }
}
