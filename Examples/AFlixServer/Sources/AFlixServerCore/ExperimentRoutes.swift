import AFlix
import Foundation
import Hummingbird

extension API {
  struct ExperimentRequest: Decodable {
    var name: String
    var variants: [String]
    var appliesTo: String?
  }

  struct ExperimentBody: Encodable {
    var name: String
    var variants: [String]
    var appliesTo: String?
  }

  struct ConversionRequest: Decodable {
    var value: Double?
  }

  struct Conversion: Encodable {
    var experiment: String
    var variant: String
    var index: Int
    var recorded: Bool
  }

  /// The stored experiment of the path's `{name}`: 404 when there is none.
  func experiment(of context: ServerRequestContext) async throws -> Experiment {
    let name = try context.parameters.require("name")
    guard let experiment = try await service.store.experiment(named: name) else {
      throw APIError(.notFound, code: "unknown_experiment", "no experiment named \(name)")
    }
    return experiment
  }

  /// `POST /api/admin/experiments` (admin): 201 with the experiment; 400 for what the library
  /// refuses (fewer than two variants, repeats, empty names) and for an `applies_to` whose
  /// variants are not settings of its kind; 409 for a taken name. With `applies_to` (`weights` or
  /// `diversity`, ``ListTreatment``) each user's lists follow their variant from now on.
  func createExperiment(request: Request) async throws -> Response {
    try await requireAdmin(request, "creating an experiment")
    let input = try await decodeBody(
      request, as: ExperimentRequest.self, empty: nil,
      shape:
        #"{"name": "…", "variants": ["…", "…"], "applies_to": "weights" | "diversity" | "k_svd"?}"#)
    let experiment: Experiment
    do {
      experiment = try Experiment(name: input.name, variants: input.variants)
    } catch let error as RecommendError {
      throw APIError(.badRequest, code: "invalid_experiment", error.message)
    }
    var treatment: ListTreatment?
    if let appliesTo = input.appliesTo {
      guard let kind = ListTreatment.Kind(rawValue: appliesTo) else {
        let kinds = ListTreatment.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        throw APIError(
          .badRequest, code: "invalid_experiment", "applies_to must be one of \(kinds)")
      }
      do {
        treatment = try ListTreatment(experiment: experiment, appliesTo: kind)
      } catch let error as ListTreatmentError {
        throw APIError(.badRequest, code: "invalid_experiment", error.description)
      }
      let data = service.fittedRatings ?? service.baseRatings
      let limit = min(data.userCount, data.itemCount) - 1
      if let k = treatment?.factorCounts.first(where: { $0 > limit }) {
        throw APIError(
          .badRequest, code: "invalid_experiment",
          "variant '\(k)': K must be below min(users, films) = \(limit + 1)")
      }
    }
    guard
      try await service.store.addExperiment(
        experiment, appliesTo: treatment?.kind.rawValue,
        createdAt: Int64(Date().timeIntervalSince1970))
    else {
      throw APIError(
        .conflict, code: "experiment_exists", "an experiment named \(experiment.name) exists")
    }
    if let treatment {
      service.setListTreatment(treatment)
      // A K-SVD experiment's engines are built now (seconds on a large dataset, off the
      // cooperative pool); its users get the model's lists, untagged, until they are.
      await service.prepareFactorVariants()
    }
    return JSON.response(
      ExperimentBody(
        name: experiment.name, variants: experiment.variants, appliesTo: treatment?.kind.rawValue),
      status: .created)
  }

  /// `GET /api/experiments/{name}/variant`: the caller's variant (the token's user), recorded as
  /// an exposure the first time.
  func experimentVariant(request: Request, context: ServerRequestContext) async throws -> Response {
    let identity = try await accounts.requireIdentity(of: request)
    let experiment = try await experiment(of: context)
    let assignment = experiment.assignment(forUser: identity.username)
    let first = try await service.store.recordExposure(
      experiment: experiment.name, user: identity.username, variant: assignment.index,
      at: Int64(Date().timeIntervalSince1970))
    if first { metrics.recordExposure(experiment: experiment.name, variant: assignment.variant) }
    return JSON.response(assignment)
  }

  /// `POST /api/experiments/{name}/conversions`: the caller converted (once; a later call says
  /// `recorded: false`), with an optional finite `value` for the experiment's metric.
  func experimentConversion(request: Request, context: ServerRequestContext) async throws
    -> Response
  {
    let identity = try await accounts.requireIdentity(of: request)
    let experiment = try await experiment(of: context)
    let input = try await decodeBody(
      request, as: ConversionRequest.self, empty: ConversionRequest(value: nil),
      shape: #"{"value": number} or an empty body"#)
    if let value = input.value, !value.isFinite {
      throw APIError(.badRequest, code: "invalid_value", "value must be a finite number")
    }
    let assignment = experiment.assignment(forUser: identity.username)
    let recorded = try await service.store.recordConversion(
      experiment: experiment.name, user: identity.username, variant: assignment.index,
      value: input.value, at: Int64(Date().timeIntervalSince1970))
    if recorded {
      metrics.recordConversion(experiment: experiment.name, variant: assignment.variant)
    }
    return JSON.response(
      Conversion(
        experiment: experiment.name, variant: assignment.variant, index: assignment.index,
        recorded: recorded),
      status: recorded ? .created : .ok)
  }

  /// `GET /api/admin/experiments/{name}/report?confidence=0.95` (admin): the library's report
  /// (`ExperimentReport`) of the stored exposures and conversions.
  func experimentReport(request: Request, context: ServerRequestContext) async throws -> Response {
    try await requireAdmin(request, "an experiment's report")
    let experiment = try await experiment(of: context)
    var confidence = 0.95
    if let text = request.uri.queryParameters.get("confidence") {
      guard let value = Double(text), value > 0, value < 1 else {
        throw APIError(
          .badRequest, code: "invalid_confidence", "confidence must be a number in (0, 1)")
      }
      confidence = value
    }
    // The lists' exposures noted in the last moments are counted too.
    await service.flushExposures()
    return JSON.response(
      try await service.store.tally(of: experiment).report(confidence: confidence))
  }

  struct FeedbackRequest: Decodable {
    var movieId: String
    var event: String
    var source: String?
    var experiment: String?
  }

  struct FeedbackResponse: Encodable {
    var userId: String
    var movieId: String
    var event: String
    var experiment: String?
    var variant: String?
  }

  /// `POST /api/feedback`: an impression or a click of a served recommendation, by the token's
  /// user, with the source and experiment that served it; stored, and counted by the live
  /// monitor's click-through rate.
  func feedback(request: Request) async throws -> Response {
    let identity = try await accounts.requireIdentity(of: request)
    let input = try await decodeBody(
      request, as: FeedbackRequest.self, empty: nil,
      shape: #"{"movie_id": "…", "event": "impression" | "click", "source"?, "experiment"?}"#)
    guard let kind = FeedbackEvent.Kind(rawValue: input.event) else {
      throw APIError(
        .badRequest, code: "invalid_event", "event must be \"impression\" or \"click\"")
    }
    if let source = input.source, source.isEmpty || source.count > 64 {
      throw APIError(.badRequest, code: "invalid_source", "source must have 1…64 characters")
    }
    guard let film = service.catalog.movie(withID: EntityID(parsing: input.movieId)) else {
      throw APIError(.notFound, code: "unknown_film", "no film with id \(input.movieId)")
    }
    var assignment: ExperimentAssignment?
    if let name = input.experiment {
      guard let experiment = try await service.store.experiment(named: name) else {
        throw APIError(.notFound, code: "unknown_experiment", "no experiment named \(name)")
      }
      assignment = experiment.assignment(forUser: identity.username)
    }
    let now = Int64(Date().timeIntervalSince1970)
    try await service.store.recordFeedback(
      FeedbackEvent(
        userID: identity.username, movieID: film.id.description, event: kind,
        source: input.source, experiment: assignment?.experiment, variant: assignment?.index,
        timestamp: now))
    monitor.recordFeedback(click: kind == .click, at: now)
    metrics.recordFeedback(event: kind.rawValue)
    return JSON.response(
      FeedbackResponse(
        userId: identity.username, movieId: film.id.description, event: kind.rawValue,
        experiment: assignment?.experiment, variant: assignment?.variant),
      status: .created)
  }
}
