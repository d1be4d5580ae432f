import Foundation
import Testing
import FleetGit

/// The credential callback against a server that refuses every request with HTTP 401: it must
/// give up at once, with a message naming the remote and no secret from the URL.
@Suite struct CredentialTests {
    @Test func passwordPromptGivesUpWithoutLooping() throws {
        let sandbox = try Sandbox()
        let server = try RefusingHTTPServer()
        defer { server.stop() }
        let cache = try GitRepository.create(path: sandbox.path("cache.git"), bare: true)
        let url = "http://127.0.0.1:\(server.port)/hub.git"
        let error = try #require(gitError {
            try cache.fetch(url: url, refspecs: ["+refs/heads/main:refs/remotes/origin/main"])
        })
        #expect(error.code == .auth)
        #expect(error.message.contains("asks for a user name and password"))
        #expect(error.message.contains("'\(url)'"))
        #expect(server.requestCount < 5)
    }

    @Test func secretsInURLStayOutOfMessages() throws {
        let sandbox = try Sandbox()
        let server = try RefusingHTTPServer()
        defer { server.stop() }
        let cache = try GitRepository.create(path: sandbox.path("cache.git"), bare: true)
        let url = "http://user:s3cret@127.0.0.1:\(server.port)/hub.git?token=t0ken"
        let error = try #require(gitError {
            try cache.fetch(url: url, refspecs: ["+refs/heads/main:refs/remotes/origin/main"])
        })
        #expect(error.code == .auth)
        #expect(!error.description.contains("s3cret"))
        #expect(!error.description.contains("t0ken"))
        #expect(error.description.contains("'http://127.0.0.1:\(server.port)/hub.git'"))
    }
}

/// A one-thread HTTP server on a free local port that answers every request with 401.
final class RefusingHTTPServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var requests = 0

    var requestCount: Int { lock.withLock { requests } }

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(listener, socketAddress, length) == 0 && listen(listener, 8) == 0
                    && getsockname(listener, socketAddress, &length) == 0
            }
        }
        guard listener >= 0, bound else {
            throw CLIError(arguments: ["http server"], output: String(cString: strerror(errno)))
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 { return }
                lock.withLock { requests += 1 }
                var buffer = [UInt8](repeating: 0, count: 8192)
                _ = read(connection, &buffer, buffer.count)
                let response = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"hub\"\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n"
                _ = response.withCString { write(connection, $0, strlen($0)) }
                close(connection)
            }
        }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}
