import Foundation
import Hummingbird

/// One route as the OpenAPI document describes it: what `GET /openapi.json` serves, and what
/// the tests check against the router and the handlers.
public struct APIEndpoint: Sendable {
  /// Who may call it.
  public enum Access: String, Sendable {
    /// Anyone.
    case everyone
    /// A user's bearer token (an admin's too).
    case user
    /// An admin's bearer token.
    case admin
  }

  /// The HTTP method.
  public var method: String
  /// The path, parameters as `{name}`.
  public var path: String
  /// What it does.
  public var summary: String
  /// Who may call it.
  public var access: Access
  /// Its query parameters: name, JSON type, description.
  public var query: [(name: String, type: String, description: String)] = []
  /// Its JSON body's properties (name, JSON type), the required ones marked; `nil` without a body.
  public var body: [(name: String, type: String, required: Bool)]?
  /// Its responses: status and description.
  public var responses: [(status: Int, description: String)]
  /// The media type of its successful response.
  public var produces = "application/json"
}

extension APIEndpoint {
  /// Every route of the server.
  public static let all: [APIEndpoint] = [
    .init(
      method: "POST", path: "/api/auth/register", summary: "Register an account", access: .everyone,
      body: [("username", "string", true), ("password", "string", true)],
      responses: [
        (201, "registered"), (400, "invalid body or password"), (409, "username taken"),
        (429, "too many sign-ins and registrations from this address"),
      ]),
    .init(
      method: "POST", path: "/api/auth/login", summary: "Log in: an access token",
      access: .everyone, body: [("username", "string", true), ("password", "string", true)],
      responses: [
        (200, "access_token, token_type, expires_in"), (400, "invalid body"),
        (401, "wrong username or password"),
        (429, "too many sign-ins and registrations from this address"),
      ]),
    .init(
      method: "GET", path: "/", summary: "The operators' dashboard (an admin signs in on it)",
      access: .everyone, responses: [(200, "the page")], produces: "text/html"),
    .init(
      method: "GET", path: "/dashboard.js", summary: "The dashboard's script", access: .everyone,
      responses: [(200, "JavaScript")], produces: "text/javascript"),
    .init(
      method: "GET", path: "/health", summary: "healthy / degraded / unhealthy by held-out RMSE",
      access: .everyone, responses: [(200, "healthy or degraded"), (503, "unhealthy")]),
    .init(
      method: "GET", path: "/ready", summary: "Whether a model serves", access: .everyone,
      responses: [(200, "ready"), (503, "no model yet")]),
    .init(
      method: "GET", path: "/metrics", summary: "Prometheus metrics", access: .everyone,
      responses: [(200, "Prometheus text format 0.0.4")], produces: "text/plain"),
    .init(
      method: "GET", path: "/openapi.json", summary: "This document", access: .everyone,
      responses: [(200, "OpenAPI 3.1")]),
    .init(
      method: "GET", path: "/api/recommendations/status",
      summary: "The model: trained?, K values, explained variance, counts, age, cache",
      access: .everyone, responses: [(200, "status")]),
    .init(
      method: "POST", path: "/api/recommendations/train-sync",
      summary: "Train on the dataset and the stored ratings; the new model swapped in",
      access: .admin,
      responses: [
        (200, "status after training"), (401, "no valid token"), (403, "not admin"),
        (409, "a training runs"), (429, "once a minute per client"), (500, "training failed"),
      ]),
    .init(
      method: "GET", path: "/api/recommendations/user/{id}",
      summary: "The user's recommendations", access: .user,
      query: [("top_n", "integer", "1…100, default 10"), ("explain", "boolean", "explanations")],
      responses: [
        (200, "recommendations"), (400, "invalid top_n or explain"),
        (401, "no valid token"), (403, "another user"), (503, "no model yet"),
      ]),
    .init(
      method: "GET", path: "/api/recommendations/user/{id}/history",
      summary: "Every rating of the user", access: .user,
      responses: [
        (200, "ratings"), (401, "no valid token"), (403, "another user"),
        (404, "unknown user"),
      ]),
    .init(
      method: "POST", path: "/api/ratings", summary: "Rate a film as the token's user",
      access: .user,
      body: [
        ("movie_id", "string", true), ("rating", "number", true), ("user_id", "string", false),
        ("source", "string", false),
      ],
      responses: [
        (201, "stored and folded in"), (400, "invalid body or rating out of scale"),
        (401, "no valid token"), (403, "user_id of another user"), (404, "unknown film"),
        (413, "body too large"),
      ]),
    .init(
      method: "GET", path: "/api/genres", summary: "The genres with their film counts",
      access: .everyone, responses: [(200, "genres")]),
    .init(
      method: "GET", path: "/api/genres/{id}/films", summary: "A genre's films (id or name)",
      access: .everyone, responses: [(200, "films"), (404, "unknown genre")]),
    .init(
      method: "GET", path: "/api/recommendations/evaluation",
      summary: "Held-out RMSE and MAE measured at training", access: .everyone,
      responses: [(200, "evaluation"), (503, "no model yet")]),
    .init(
      method: "GET", path: "/api/recommendations/clustering", summary: "The users' segments",
      access: .everyone, query: [("k", "integer", "2…20, default 5")],
      responses: [
        (200, "segments"), (400, "invalid k"), (422, "too few users"),
        (503, "no model yet"),
      ]),
    .init(
      method: "GET", path: "/api/admin/ml/live-monitor",
      summary: "The live monitor's figures and alerts", access: .admin,
      responses: [(200, "snapshot and alerts"), (401, "no valid token"), (403, "not admin")]),
    .init(
      method: "GET", path: "/api/admin/stream-k-optimization",
      summary: "The K optimisation as Server-Sent Events", access: .admin,
      responses: [
        (200, "text/event-stream"), (401, "no valid token"), (403, "not admin"),
        (429, "three an hour per client"),
      ], produces: "text/event-stream"),
    .init(
      method: "POST", path: "/api/admin/films", summary: "Add a film to the catalogue",
      access: .admin,
      body: [
        ("title", "string", true), ("movie_id", "string", false), ("genres", "array", false),
        ("year", "integer", false), ("keywords", "array", false), ("cast", "array", false),
        ("director", "string", false),
      ],
      responses: [
        (201, "added"), (400, "invalid film"), (401, "no valid token"),
        (403, "not admin"), (409, "id taken"),
      ]),
    .init(
      method: "POST", path: "/api/admin/experiments",
      summary:
        "Create an A/B experiment; with applies_to (weights | diversity | k_svd) lists follow it",
      access: .admin,
      body: [
        ("name", "string", true), ("variants", "array", true), ("applies_to", "string", false),
      ],
      responses: [
        (201, "created"), (400, "invalid experiment"), (401, "no valid token"),
        (403, "not admin"), (409, "name taken"),
      ]),
    .init(
      method: "GET", path: "/api/experiments/{name}/variant",
      summary: "The caller's variant (recorded as an exposure)", access: .user,
      responses: [
        (200, "experiment, variant, index"), (401, "no valid token"),
        (404, "unknown experiment"),
      ]),
    .init(
      method: "POST", path: "/api/experiments/{name}/conversions",
      summary: "The caller converted (once)", access: .user, body: [("value", "number", false)],
      responses: [
        (201, "recorded"), (200, "already recorded"), (400, "invalid body"),
        (401, "no valid token"), (404, "unknown experiment"),
      ]),
    .init(
      method: "GET", path: "/api/admin/experiments/{name}/report",
      summary: "Per-variant rates and means with confidence intervals", access: .admin,
      query: [("confidence", "number", "in (0, 1), default 0.95")],
      responses: [
        (200, "report"), (400, "invalid confidence"), (401, "no valid token"),
        (403, "not admin"), (404, "unknown experiment"),
      ]),
    .init(
      method: "POST", path: "/api/feedback",
      summary: "An impression or click of a served recommendation", access: .user,
      body: [
        ("movie_id", "string", true), ("event", "string", true), ("source", "string", false),
        ("experiment", "string", false),
      ],
      responses: [
        (201, "recorded"), (400, "invalid body or event"), (401, "no valid token"),
        (404, "unknown film or experiment"),
      ]),
  ]
}

/// The OpenAPI 3.1 document of ``APIEndpoint/all``.
public enum OpenAPIDocument {
  /// The document as a JSON object.
  public static func object() -> [String: Any] {
    var paths: [String: [String: Any]] = [:]
    for endpoint in APIEndpoint.all {
      var operation: [String: Any] = [
        "summary": endpoint.summary,
        "operationId": endpoint.method.lowercased()
          + endpoint.path.split(separator: "/").map {
            $0.filter { $0.isLetter || $0.isNumber }.capitalized
          }.joined(),
        "responses": Dictionary(
          uniqueKeysWithValues: endpoint.responses.map { status, description in
            var response: [String: Any] = ["description": description]
            if (200..<300).contains(status) {
              response["content"] = [endpoint.produces: ["schema": ["type": "object"]]]
            } else {
              response["content"] = [
                "application/json": ["schema": ["$ref": "#/components/schemas/Error"]]
              ]
            }
            return (String(status), response)
          }),
      ]
      if endpoint.access != .everyone {
        operation["security"] = [["bearer": [String]()]]
        operation["tags"] = [endpoint.access == .admin ? "admin" : "user"]
      } else {
        operation["tags"] = ["public"]
      }
      var parameters: [[String: Any]] = endpoint.path.split(separator: "/")
        .filter { $0.hasPrefix("{") }.map {
          [
            "name": String($0.dropFirst().dropLast()), "in": "path", "required": true,
            "schema": ["type": "string"],
          ]
        }
      parameters += endpoint.query.map {
        [
          "name": $0.name, "in": "query", "required": false, "description": $0.description,
          "schema": ["type": $0.type],
        ]
      }
      if !parameters.isEmpty { operation["parameters"] = parameters }
      if let body = endpoint.body {
        var schema: [String: Any] = [
          "type": "object",
          "properties": Dictionary(
            uniqueKeysWithValues: body.map { ($0.name, ["type": $0.type] as [String: Any]) }),
        ]
        let required = body.filter(\.required).map(\.name)
        if !required.isEmpty { schema["required"] = required }
        operation["requestBody"] = [
          "required": !required.isEmpty,
          "content": ["application/json": ["schema": schema]],
        ]
      }
      paths[endpoint.path, default: [:]][endpoint.method.lowercased()] = operation
    }
    return [
      "openapi": "3.1.0",
      "info": [
        "title": "aflix-server",
        "version": "1.0.0",
        "description": "AFlix's recommendations over HTTP (Examples/AFlixServer).",
      ],
      "paths": paths,
      "components": [
        "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
        "schemas": [
          "Error": [
            "type": "object", "required": ["error"],
            "properties": [
              "error": [
                "type": "object", "required": ["code", "message"],
                "properties": ["code": ["type": "string"], "message": ["type": "string"]],
              ]
            ],
          ]
        ],
      ],
    ]
  }

  /// The document's JSON bytes (keys sorted).
  public static func data() -> Data {
    (try? JSONSerialization.data(withJSONObject: object(), options: [.sortedKeys])) ?? Data()
  }
}

extension API {
  /// `GET /openapi.json`.
  func openAPI() -> Response {
    JSON.response(data: OpenAPIDocument.data())
  }
}
