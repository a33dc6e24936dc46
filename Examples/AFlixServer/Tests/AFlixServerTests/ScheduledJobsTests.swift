import AFlix
import AFlixServerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing

/// Live ratings off by `error` each from the predictor's predictions, counted by the service.
private func recordLiveRatings(_ service: RecommendationService, count: Int, error: Double) {
  for _ in 0..<count { service.recordLiveRating(predicted: 3, actual: 3 + error) }
}

/// The scheduled jobs that run no optimisation.
@Suite struct ScheduledJobsTests {
  @Test func fewLiveRatingsOrALiveRMSEWithinBoundsChangeNothing() async throws {
    let service = try await trainedService()
    let jobs = ScheduledJobs(service: service, schedule: JobSchedule(minimumLiveRatings: 50))
    let generation = service.modelGeneration
    let baseline = try #require(service.trainingInfo?.heldOutRMSE)

    recordLiveRatings(service, count: 49, error: 3 * baseline)
    #expect(await jobs.reoptimizeIfDrifted() == .skipped)
    #expect(jobs.records[0].lastDetail?.contains("49 live ratings") == true)
    // The count started again: 49 more are still too few.
    recordLiveRatings(service, count: 49, error: 3 * baseline)
    #expect(await jobs.reoptimizeIfDrifted() == .skipped)

    // 1.05 × the held-out RMSE: within 1.1 ×.
    recordLiveRatings(service, count: 60, error: 1.05 * baseline)
    #expect(await jobs.reoptimizeIfDrifted() == .skipped)
    let record = jobs.records[0]
    #expect(record.name == .kReoptimization)
    #expect(record.runs == 3)
    #expect(record.lastDetail?.contains("within 1.1") == true)
    #expect(record.running == false)
    #expect(service.modelGeneration == generation)
    #expect(service.tuning == ServingTuning())
  }

  @Test func theWeeklyJobRetrainsAndTheMetricsCountIt() async throws {
    let service = try await trainedService()
    let metrics = ServiceMetrics()
    let jobs = ScheduledJobs(service: service, metrics: metrics)
    let generation = service.modelGeneration
    #expect(await jobs.retrain() == .retrained)
    #expect(service.modelGeneration == generation + 1)
    let record = jobs.records[1]
    #expect(record.name == .fullRetrain)
    #expect(record.lastOutcome == .retrained)
    #expect(record.intervalSeconds == 604_800)
    let server = try await TestServer(service: service)
    let app = makeApplication(
      service: service, accounts: server.accounts, metrics: metrics, jobs: jobs)
    try await app.test(.router) { client in
      let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
      let samples = try parsePrometheus(text)
      #expect(
        samples.value(
          "aflix_scheduled_job_runs_total", ["job": "full_retrain", "outcome": "retrained"])
          == 1)
      #expect(samples.value("aflix_scheduled_job_running", ["job": "full_retrain"]) == 0)
      let status = try object(
        try await client.execute(uri: "/api/recommendations/status", method: .get))
      let records = try #require(status["scheduled_jobs"] as? [[String: Any]])
      #expect(records.map { $0["name"] as? String } == ["k_reoptimization", "full_retrain"])
      #expect(records[1]["last_outcome"] as? String == "retrained")
      #expect(records[1]["runs"] as? Int == 1)
      let monitor = try object(
        try await client.execute(
          uri: "/api/admin/ml/live-monitor", method: .get, headers: server.admin))
      #expect((monitor["scheduled_jobs"] as? [Any])?.count == 2)
    }
  }
}

extension ScheduledJobsTests {
  @Test func aGracefulShutdownCancelsARunningRetraining() async throws {
    // A training long enough to be caught running.
    let data = try ServerData.synthetic(users: 4_000, films: 300, seed: 12)
    let service = try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog, store: try SQLiteRatingStore(path: nil))
    await service.train()
    let generation = service.modelGeneration
    let clock = ContinuousClock()
    let whole = try #require(service.trainingInfo?.trainingSeconds)
    let jobs = ScheduledJobs(
      service: service,
      schedule: JobSchedule(reoptimizeEvery: nil, fullRetrainEvery: .milliseconds(10)))
    let group = ServiceGroup(
      configuration: .init(services: [jobs], logger: Logger(label: "aflix.tests.jobs")))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      let deadline = clock.now + .seconds(60)
      while !jobs.records[1].running, clock.now < deadline {
        try await Task.sleep(for: .milliseconds(2))
      }
      #expect(jobs.records[1].running)
      let asked = clock.now
      await group.triggerGracefulShutdown()
      try await tasks.waitForAll()
      let stopped = clock.now - asked
      // Stopped between two steps of the training, well before it would have ended.
      #expect(
        stopped < .seconds(whole / 2), "stopped after \(stopped); a training takes \(whole) s")
    }
    #expect(jobs.records[1].lastOutcome == .cancelled)
    #expect(jobs.records[1].running == false)
    #expect(jobs.records[0].intervalSeconds == nil)
    #expect(jobs.records[0].runs == 0)
    #expect(service.modelGeneration == generation)
    #expect(service.engine != nil)
  }
}

/// The jobs that optimise K: in the serialised suite whose test counts the optimiser's threads.
extension OptimizationStreamTests {
  @Test func aDriftedLiveRMSEReoptimisesKAndRetrains() async throws {
    let service = try await trainedService()
    let optimizer = smallOptimization().optimizer
    let metrics = ServiceMetrics()
    let jobs = ScheduledJobs(
      service: service, schedule: JobSchedule(minimumLiveRatings: 20, optimizer: optimizer),
      metrics: metrics)
    let data = try #require(service.fittedRatings)
    let expected = try optimizer.run(data)
    let generation = service.modelGeneration
    let baseline = try #require(service.trainingInfo?.heldOutRMSE)
    recordLiveRatings(service, count: 20, error: 1.2 * baseline)

    #expect(await jobs.reoptimizeIfDrifted() == .reoptimized)
    #expect(
      service.tuning
        == ServingTuning(
          svdRank: expected.kSVD, predictorFactors: expected.kSVD, clusterCount: expected.kCluster))
    #expect(service.trainingInfo?.predictorFactors == expected.kSVD)
    #expect(service.modelGeneration == generation + 1)
    #expect(service.trainingInfo?.svdRank == expected.kSVD)
    let record = jobs.records[0]
    #expect(record.lastOutcome == .reoptimized)
    #expect(record.lastDetail?.contains("K-SVD 12 → \(expected.kSVD)") == true)
    // The clustering route answers with the new K-cluster by default.
    let server = try await TestServer(service: service)
    try await server.test { client in
      let clustering = try object(
        try await client.execute(uri: "/api/recommendations/clustering", method: .get))
      #expect(clustering["k"] as? Int == expected.kCluster)
    }
    var text: [UInt8] = []
    metrics.registry.emit(into: &text)
    #expect(
      try parsePrometheus(String(decoding: text, as: UTF8.self)).value(
        "aflix_scheduled_job_runs_total", ["job": "k_reoptimization", "outcome": "reoptimized"])
        == 1)
  }

  @Test func aGracefulShutdownCancelsARunningReoptimisation() async throws {
    // A search long enough to be caught running.
    let data = try ServerData.synthetic(users: 1_500, films: 150, seed: 11)
    let service = try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog, store: try SQLiteRatingStore(path: nil))
    await service.train()
    let optimizer = KOptimizer(
      svdCandidates: .values(Array(stride(from: 2, through: 40, by: 2))),
      clusterCandidates: Array(2...10), restarts: 10, threadCount: 1)
    let jobs = ScheduledJobs(
      service: service,
      schedule: JobSchedule(
        reoptimizeEvery: .milliseconds(10), fullRetrainEvery: nil, minimumLiveRatings: 10,
        optimizer: optimizer))
    let baseline = try #require(service.trainingInfo?.heldOutRMSE)
    recordLiveRatings(service, count: 10, error: 2 * baseline)
    let group = ServiceGroup(
      configuration: .init(services: [jobs], logger: Logger(label: "aflix.tests.jobs")))
    let clock = ContinuousClock()
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      // Wait for the optimiser to report progress: it runs.
      let deadline = clock.now + .seconds(60)
      while jobs.records[0].progress == nil, clock.now < deadline {
        try await Task.sleep(for: .milliseconds(5))
      }
      #expect(jobs.records[0].running)
      #expect(threadNames(startingWith: "AFlix optimize") == ["AFlix optimize"])
      let asked = clock.now
      await group.triggerGracefulShutdown()
      try await tasks.waitForAll()
      let stopped = clock.now - asked
      #expect(stopped < .seconds(5), "the jobs took \(stopped) to stop")
    }
    let record = jobs.records[0]
    #expect(record.lastOutcome == .cancelled)
    #expect(record.running == false)
    #expect(service.tuning == ServingTuning())
    // The optimiser's thread ends between two candidates.
    let deadline = clock.now + .seconds(30)
    while !threadNames(startingWith: "AFlix optimize").isEmpty, clock.now < deadline {
      try await Task.sleep(for: .milliseconds(5))
    }
    #expect(threadNames(startingWith: "AFlix optimize").isEmpty)
  }
}
