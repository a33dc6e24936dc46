import Hummingbird
import NIOCore

/// The server's request context: Hummingbird's basic one plus the client's address, on which the
/// per-address limit of sign-ins and registrations is kept.
public struct ServerRequestContext: RequestContext, RemoteAddressRequestContext {
  /// Hummingbird's storage of the request's context.
  public var coreContext: CoreRequestContextStorage
  /// The client's socket address, when the channel has one.
  public let remoteAddress: SocketAddress?

  /// The context of a request that arrived on `source`'s channel.
  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress
  }

  /// The client's IP address as text; `nil` when unknown (a Unix socket, a test router's channel).
  public var clientAddress: String? { remoteAddress?.ipAddress }
}
