import Foundation
import Hummingbird

/// An error the API answers with: an HTTP status and `{"error": {"code", "message"}}`.
public struct APIError: Error, Sendable {
  /// The HTTP status.
  public var status: HTTPResponse.Status
  /// A stable machine-readable code, e.g. `rating_out_of_scale`.
  public var code: String
  /// A sentence for people.
  public var message: String

  /// Creates an error.
  public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
    self.status = status
    self.code = code
    self.message = message
  }

  /// The JSON body: `{"error": {"code", "message"}}`.
  public struct Body: Codable, Sendable {
    /// The error's code and message.
    public struct Detail: Codable, Sendable {
      /// A stable machine-readable code.
      public var code: String
      /// A sentence for people.
      public var message: String
    }
    /// The error.
    public var error: Detail
  }

  /// The error as a JSON response; a 401 says `WWW-Authenticate: Bearer` (RFC 6750).
  public var response: Response {
    var response = JSON.response(Body(error: .init(code: code, message: message)), status: status)
    if status == .unauthorized {
      response.headers[.wwwAuthenticate] =
        code == "missing_token" ? "Bearer" : "Bearer error=\"invalid_token\""
    }
    return response
  }
}

/// Turns every error thrown below it — the routes', Hummingbird's (unknown route, body too
/// large) and unexpected ones — into a JSON error response.
public struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
  /// Creates the middleware.
  public init() {}

  /// Answers with `next`'s response, or the JSON form of what it threw.
  public func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch let error as APIError {
      return error.response
    } catch let error as any HTTPResponseError {
      let detail = (error as? HTTPError)?.body
      let code: String
      let message: String
      switch error.status {
      case .notFound:
        code = "not_found"
        message = "no route for \(request.method) \(request.uri.path)"
      case .contentTooLarge:
        code = "body_too_large"
        message = detail ?? "the request body is too large"
      case .methodNotAllowed:
        code = "method_not_allowed"
        message = detail ?? "method not allowed"
      default:
        code = error.status.code < 500 ? "bad_request" : "internal_error"
        message = detail ?? error.status.reasonPhrase
      }
      return APIError(error.status, code: code, message).response
    } catch {
      context.logger.error("unexpected error: \(error)")
      return APIError(.internalServerError, code: "internal_error", "internal error").response
    }
  }
}

/// JSON encoding and decoding with snake_case keys.
public enum JSON {
  /// The encoder of every response.
  public static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }

  /// The decoder of every request body.
  public static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return decoder
  }

  /// A JSON response of encoded `data`.
  public static func response(
    data: Data, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
  ) -> Response {
    var fields = headers
    fields[.contentType] = "application/json; charset=utf-8"
    return Response(
      status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  /// `value` as a JSON response with `status`.
  public static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok)
    -> Response
  {
    let data: Data
    do {
      data = try encoder().encode(value)
    } catch {
      data = Data(
        #"{"error":{"code":"internal_error","message":"response could not be encoded"}}"#.utf8)
      return Response(
        status: .internalServerError, headers: [.contentType: "application/json; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
    return Response(
      status: status, headers: [.contentType: "application/json; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}
