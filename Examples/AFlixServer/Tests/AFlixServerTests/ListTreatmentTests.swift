import AFlix
import AFlixServerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Experiments whose variants change the lists (`applies_to`): each user's list is the one of
/// their variant by the library's rule, says so, and counts as an exposure.
@Suite struct ListTreatmentTests {
  static func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

  @Test func listsFollowTheUsersVariant() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let experiment = try Experiment(name: "mix", variants: ["measured", "0/0/1"])
    let users = (0..<24).map { service.baseRatings.users.id(at: $0).description }
    let popularityOnly = try HybridWeights(
      fixed: HybridMix(collaborative: 0, content: 0, popularity: 1))
    try await server.test { client in
      // A list cached before the experiment is not served after it.
      let before = try await client.execute(
        uri: "/api/recommendations/user/\(users[0])", method: .get, headers: server.admin)
      #expect(before.headers[.init("X-Cache")!] == "miss")
      let made = try await client.execute(
        uri: "/api/admin/experiments", method: .post, headers: server.admin,
        body: Self.body(
          #"{"name": "mix", "variants": ["measured", "0/0/1"], "applies_to": "weights"}"#))
      #expect(made.status == .created)
      #expect(try object(made)["applies_to"] as? String == "weights")

      var differing = 0
      for user in users {
        let response = try await client.execute(
          uri: "/api/recommendations/user/\(user)", method: .get, headers: server.admin)
        #expect(response.headers[.init("X-Cache")!] == "miss")
        let tag = try #require(try object(response)["experiment"] as? [String: Any])
        let index = experiment.variantIndex(forUser: user)
        #expect(tag["index"] as? Int == index)
        #expect(tag["variant"] as? String == experiment.variants[index])
        #expect(tag["experiment"] as? String == "mix")
        let engine = try #require(service.engine)
        let plain = try engine.recommend(user: EntityID(parsing: user), HybridRequest(count: 10))
        let treated = try engine.recommend(
          user: EntityID(parsing: user), HybridRequest(count: 10, weights: popularityOnly))
        let expected = index == 0 ? plain : treated
        #expect(try movieIDs(response) == expected.items.map { $0.item.description })
        if plain.items.map(\.item) != treated.items.map(\.item) { differing += 1 }
      }
      // The two variants' lists differ for most users: the test can tell them apart.
      #expect(differing >= users.count / 2)
      let report = try await client.execute(
        uri: "/api/admin/experiments/mix/report", method: .get, headers: server.admin)
      let variants = try #require(try object(report)["variants"] as? [[String: Any]])
      #expect(variants.compactMap { $0["exposures"] as? Int }.reduce(0, +) == users.count)
    }
  }

  @Test func kSVDVariantsServeTheHybridAtTheirK() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let data = try #require(service.fittedRatings)
    let experiment = try Experiment(name: "k", variants: ["2", "6"])
    let users = (0..<24).map { service.baseRatings.users.id(at: $0).description }
    // The variants, built independently with the library: a hybrid over a rank-6 SVD and the
    // leading K of its ordered factors.
    let hybrid = try Hybrid(
      catalog: service.catalog, collaborative: TruncatedSVDRecommender(rank: 6, seed: 0)
    ).fit(data)
    let ladder = try FactorLadder(hybrid: hybrid, factors: [2, 6])
    let engines = try [2, 6].map {
      RecommendationEngine(model: try ladder.model(forFactors: $0), ratings: data)
    }
    let kim = try await userAuth(server.accounts, "kim")
    try await server.test { client in
      let made = try await client.execute(
        uri: "/api/admin/experiments", method: .post, headers: server.admin,
        body: Self.body(#"{"name": "k", "variants": ["2", "6"], "applies_to": "k_svd"}"#))
      #expect(made.status == .created)
      var differing = 0
      for user in users {
        let response = try await client.execute(
          uri: "/api/recommendations/user/\(user)", method: .get, headers: server.admin)
        let index = experiment.variantIndex(forUser: user)
        let tag = try #require(try object(response)["experiment"] as? [String: Any])
        #expect(tag["variant"] as? String == experiment.variants[index])
        let expected = try engines[index].recommend(
          user: EntityID(parsing: user), HybridRequest(count: 10))
        #expect(try movieIDs(response) == expected.items.map { $0.item.description })
        let other = try engines[1 - index].recommend(
          user: EntityID(parsing: user), HybridRequest(count: 10))
        if other.items.map(\.item) != expected.items.map(\.item) { differing += 1 }
      }
      #expect(differing >= users.count / 2)
      let metrics = try parsePrometheus(
        String(buffer: try await client.execute(uri: "/metrics", method: .get).body))
      let variantLists = metrics.filter {
        $0.name == "aflix_recommendations_total"
          && ["hybrid-svd-k2", "hybrid-svd-k6"].contains($0.labels["algorithm"] ?? "")
      }
      #expect(variantLists.map(\.value).reduce(0, +) == Double(users.count))

      // A rating given now reaches the variant's engine: the film leaves the rater's list.
      let first = try await client.execute(
        uri: "/api/recommendations/user/kim", method: .get, headers: kim)
      let film = try #require(try movieIDs(first).first)
      let rated = try await client.execute(
        uri: "/api/ratings", method: .post, headers: kim,
        body: Self.body(#"{"movie_id": "\#(film)", "rating": 5}"#))
      #expect(rated.status == .created)
      let after = try await client.execute(
        uri: "/api/recommendations/user/kim", method: .get, headers: kim)
      #expect(try object(after)["experiment"] != nil)
      #expect(try object(after)["known_ratings"] as? Int == 1)
      #expect(try !movieIDs(after).contains(film))

      // K is bounded by the data (60 films) and by the service.
      for bad in [#"["2", "60"]"#, #"["2", "100000"]"#, #"["2", "two"]"#, #"["0", "2"]"#] {
        let refused = try await client.execute(
          uri: "/api/admin/experiments", method: .post, headers: server.admin,
          body: Self.body(#"{"name": "bad", "variants": \#(bad), "applies_to": "k_svd"}"#))
        #expect(refused.status == .badRequest, "\(bad)")
      }
    }
    // A new model gets its own variant engines.
    let generation = service.modelGeneration
    await service.train()
    #expect(service.modelGeneration == generation + 1)
    #expect(service.variantEngine(experiment: "k", variant: 0) != nil)
  }

  @Test func exposuresAreNotedOncePerUserAndWrittenInBatches() async throws {
    let service = try await trainedService()
    let experiment = try Experiment(name: "once", variants: ["off", "original"])
    #expect(try await service.store.addExperiment(experiment, appliesTo: "diversity", createdAt: 1))
    service.setListTreatment(try ListTreatment(experiment: experiment, appliesTo: .diversity))
    let stored = Mutex<[Exposure]>([])
    service.onExposuresStored { new in stored.withLock { $0 += new } }
    let users = (0..<40).map { "u\($0)" }
    for _ in 0..<3 {
      for user in users {
        service.noteExposure(experiment.assignment(forUser: user), user: user, at: 2)
      }
    }
    // Written by the batch task within its delay, once per user.
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(10)
    while stored.withLock({ $0.count }) < users.count, clock.now < deadline {
      try await Task.sleep(for: .milliseconds(10))
    }
    #expect(stored.withLock { $0.map(\.user).sorted() } == users.sorted())
    var tally = try await service.store.tally(of: experiment)
    #expect(tally.variants.map(\.exposures).reduce(0, +) == users.count)
    #expect(
      tally.variants.map(\.exposures)
        == experiment.variants.indices.map { index in
          users.filter { experiment.variantIndex(forUser: $0) == index }.count
        })
    // A new treatment starts the process's set again; the store still knows the users.
    service.setListTreatment(try ListTreatment(experiment: experiment, appliesTo: .diversity))
    service.noteExposure(experiment.assignment(forUser: "u1"), user: "u1", at: 3)
    service.noteExposure(experiment.assignment(forUser: "new"), user: "new", at: 3)
    await service.flushExposures()
    #expect(stored.withLock { $0.count } == users.count + 1)
    tally = try await service.store.tally(of: experiment)
    #expect(tally.variants.map(\.exposures).reduce(0, +) == users.count + 1)
    // Another experiment's exposure is not the serving one's: not noted.
    service.noteExposure(
      try Experiment(name: "other", variants: ["a", "b"]).assignment(forUser: "x"), user: "x", at: 4
    )
    await service.flushExposures()
    #expect(stored.withLock { $0.count } == users.count + 1)
  }

  @Test func variantsThatAreNotSettingsAreRefused() async throws {
    let server = try await TestServer.trained()
    try await server.test { client in
      for bad in [
        #"{"name": "a", "variants": ["measured", "0.5/x/1"], "applies_to": "weights"}"#,
        #"{"name": "b", "variants": ["measured", "0/0/0"], "applies_to": "weights"}"#,
        #"{"name": "c", "variants": ["measured", "-1/1/1"], "applies_to": "weights"}"#,
        #"{"name": "d", "variants": ["off", "mmr:2"], "applies_to": "diversity"}"#,
        #"{"name": "e", "variants": ["off", "sometimes"], "applies_to": "diversity"}"#,
        #"{"name": "f", "variants": ["1", "2"], "applies_to": "k_means"}"#,
      ] {
        let refused = try await client.execute(
          uri: "/api/admin/experiments", method: .post, headers: server.admin,
          body: Self.body(bad))
        #expect(refused.status == .badRequest, "\(bad)")
        #expect(try errorCode(refused) == "invalid_experiment", "\(bad)")
      }
    }
    #expect(server.service.listTreatment == nil)
  }

  @Test func theServingExperimentSurvivesARestart() async throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let data = try ServerData.synthetic(users: 100, films: 60, seed: 3)
    let first = try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog, store: try SQLiteRatingStore(path: path))
    let experiment = try Experiment(name: "diverse", variants: ["off", "original"])
    #expect(try await first.store.addExperiment(experiment, appliesTo: "diversity", createdAt: 1))
    try await first.store.close()
    let second = try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog, store: try SQLiteRatingStore(path: path))
    #expect(second.listTreatment?.experiment == experiment)
    #expect(second.listTreatment?.kind == .diversity)
    try await second.store.close()
  }
}
