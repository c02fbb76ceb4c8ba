import CCurl
import Dispatch
import Lexicon
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// ``HTTPTransport`` on libcurl: one reused connection pool per transport, connect and total timeouts, HTTP/2 where
/// the server offers it over TLS, the proxy variables (`https_proxy`, `no_proxy`, …) as libcurl reads them,
/// redirects, and retries by ``RetryPolicy``. Plain `http://` requests that need none of libcurl (no proxy, no pinned
/// address, redirects handled here) go over a `PlainHTTPConnection` instead, so libcurl is not loaded for them.
///
/// Retries: a request that never reached the server (connection refused, DNS failure) and 429/503 answers are
/// retried for every method, honouring `Retry-After`; a request that failed after it was sent (timeout, reset) or
/// answered 500, 502 or 504 is retried only when idempotent, because the server may have applied it. Every attempt
/// and every pause comes out of one budget of twice the total timeout, so a dead API ends a request within it.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    /// Timeouts and retries.
    public struct Configuration: Sendable {
        /// Seconds allowed to connect.
        public var connectTimeout: Double
        /// Seconds allowed for a whole attempt.
        public var totalTimeout: Double
        /// The retry policy.
        public var retry: RetryPolicy
        /// The User-Agent sent.
        public var userAgent: String
        /// Whether redirects are followed (up to five); when false the 3xx answer itself is returned, unless
        /// ``sameOriginRedirects`` is set.
        public var followRedirects: Bool = true
        /// Whether redirects are followed only within the request's origin (scheme, host and port), as provider API
        /// calls need: their headers carry credentials, which must not reach another host or leave TLS. A redirect
        /// elsewhere is an error naming both URLs. Takes effect when ``followRedirects`` is false.
        public var sameOriginRedirects: Bool = false
        /// The option that sets the endpoint, named when the endpoint redirects elsewhere (`--api-endpoint`).
        public var endpointOption: String?
        /// Secret values (tokens, keys) that may appear in URLs, replaced by `<redacted>` in traces and messages.
        public var secretValues: [String] = []
        /// Whether the server's certificate and name are verified (TLS).
        public var verifyTLS: Bool = true
        /// A file of CA certificates to verify servers against instead of the system's.
        public var caFile: String?
        /// Fixed name-to-address mappings, `HOST:PORT:ADDRESS` as libcurl's `CURLOPT_RESOLVE` takes them: the
        /// request goes to ADDRESS while the Host header, SNI and certificate check use HOST.
        public var resolve: [String] = []
        /// Whether connections are kept for later requests; false opens a new one for every request.
        public var reuseConnections: Bool = true
        /// The option that sets the timeouts, named when a request runs out of time (`--http-timeout`).
        public var timeoutOption: String?
        /// Whether `http://` requests go over a plain connection of the transport's own instead of libcurl (when no
        /// proxy variable is set, no address is pinned and redirects are not libcurl's to follow): no libcurl to load.
        public var plainHTTP: Bool = true

        /// Creates a configuration.
        public init(
            connectTimeout: Double = 10, totalTimeout: Double = 60, retry: RetryPolicy = RetryPolicy(),
            userAgent: String = "lexicon-swift/0.1"
        ) {
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
            self.retry = retry
            self.userAgent = userAgent
        }
    }

    /// The configuration.
    public let configuration: Configuration
    /// Where traces go (DEBUG: method, redacted URL, status, timing).
    public let logger: LexiconLogger
    private let handle: Mutex<UnsafeMutableRawPointer?>
    /// The connection of `http://` requests that do not need libcurl.
    private let plain = Mutex(PlainHTTPConnection())
    /// Whether libcurl would route `http://` through a proxy (read once: the environment does not change).
    private static let proxyConfigured = PlainHTTPConnection.proxyConfigured(ProcessEnvironment.variables)
    private let queue = DispatchQueue(label: "lexicon.curl")

    /// Starts loading libcurl on another thread, so the first request does not wait for it (a command calls this
    /// as soon as it knows it will make HTTP requests, and reads its configuration meanwhile).
    ///
    /// A process must not exit while that thread is still loading: libcurl's initialisation initialises libcrypto,
    /// whose exit handler would free the locks the loading thread is using. Call ``waitForPreload()`` before `exit`.
    public static func preload() {
        preloading.enter()
        DispatchQueue.global().async {
            _ = loadFailure
            preloading.leave()
        }
    }

    /// Waits until every ``preload()`` has finished (at once when none is running).
    public static func waitForPreload() {
        preloading.wait()
    }

    /// Loads in progress.
    private static let preloading = DispatchGroup()

    /// Opens libcurl once per process; nil when it loaded, otherwise why not.
    private static let loadFailure: String? = lexicon_curl_load().map { String(cString: $0) }

    /// Creates a transport.
    /// - Parameters:
    ///   - configuration: Timeouts and retries.
    ///   - logger: Where traces go.
    public init(configuration: Configuration = Configuration(), logger: LexiconLogger = LexiconLogger()) {
        self.configuration = configuration
        self.logger = logger
        // The handle comes with the first request: creating a provider (and its transport) does not wait for libcurl
        // to load, so a command reads its files meanwhile.
        self.handle = Mutex(nil)
    }

    /// Creates the transport of a provider: its logger, timeouts from `http_timeout` (connecting gets at most 10 s of
    /// it), redirects followed only within the endpoint's origin, and the provider's secret values kept out of traces
    /// and messages.
    /// - Parameters:
    ///   - context: The provider's context.
    ///   - userAgent: The User-Agent, when the service wants its own form.
    public convenience init(context: ProviderContext, userAgent: String? = nil) {
        var configuration = Configuration(
            connectTimeout: min(10, context.httpTimeout), totalTimeout: context.httpTimeout)
        if let userAgent { configuration.userAgent = userAgent }
        configuration.secretValues = context.secretValues
        configuration.timeoutOption = "--http-timeout (LEXICON_HTTP_TIMEOUT)"
        configuration.followRedirects = false
        configuration.sameOriginRedirects = true
        configuration.endpointOption = ProviderOption(context.endpointOption, help: "").flag
        self.init(configuration: configuration, logger: context.logger)
        // libcurl starts loading now, while the command reads its files, unless the endpoint is plain `http://`,
        // which needs none of it.
        if context.option(context.endpointOption).flatMap(plainTarget(of:)) == nil { Self.preload() }
    }

    /// Where a request to `url` goes over the plain connection; nil when it needs libcurl (not `http://`, a proxy, a
    /// pinned address, redirects for libcurl to follow, or ``Configuration/plainHTTP`` off).
    private func plainTarget(of url: String) -> PlainHTTPConnection.Target? {
        guard configuration.plainHTTP, !configuration.followRedirects, configuration.resolve.isEmpty,
            !Self.proxyConfigured
        else { return nil }
        return PlainHTTPConnection.target(of: url)
    }

    deinit {
        handle.withLock { if let easy = $0 { lexicon_curl_easy_cleanup(easy) } }
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard !configuration.followRedirects && configuration.sameOriginRedirects else {
            return try await sendOnce(request)
        }
        var current = request
        for _ in 0...5 {
            let response = try await sendOnce(current)
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.headers["location"]
            else {
                return response
            }
            let target = URLOrigin.resolve(location, against: current.url)
            guard URLOrigin(target) == URLOrigin(request.url), URLOrigin(target) != nil else {
                let option = configuration.endpointOption.map { "; check \($0)" } ?? ""
                throw LexiconError(
                    .network,
                    "\(URLOrigin.text(of: current.url)) redirected (HTTP \(response.status)) to "
                        + "\(URLOrigin.text(of: target)), another address; credentials go only to the configured "
                        + "endpoint, so the request was not repeated there\(option).")
            }
            logger.debug("HTTP \(response.status): following the redirect to \(redacted(target))")
            if response.status == 303 || ([301, 302].contains(response.status) && current.method == "POST") {
                current = HTTPRequest(
                    method: "GET", url: target,
                    headers: current.headers.filter { $0.name.lowercased() != "content-type" })
            } else {
                current.url = target
            }
        }
        throw LexiconError(.network, "\(URLOrigin.text(of: request.url)) redirected more than 5 times.")
    }

    private func sendOnce(_ request: HTTPRequest) async throws -> HTTPResponse {
        var attempt = 1
        let begun = MonotonicClock.now()
        let deadline = begun + 2 * configuration.totalTimeout + 1
        while true {
            let started = MonotonicClock.now()
            let allowed = min(configuration.totalTimeout, max(0.1, deadline - started))
            // The time is read where the transfer ended, not where this task resumes: a busy process (a test run,
            // a daemon) may resume it later, and that wait is not the API's.
            let (outcome, now) = await withCheckedContinuation { continuation in
                queue.async {
                    let outcome = self.perform(request, totalTimeout: allowed)
                    continuation.resume(returning: (outcome, MonotonicClock.now()))
                }
            }
            let elapsed = Int((now - started) * 1000)
            let url = redacted(request.url)
            switch outcome {
            case .response(let response):
                logger.debug("HTTP \(request.method) \(url) -> \(response.status) in \(elapsed) ms")
                let transient =
                    response.status == 429 || response.status == 503
                    || (request.isIdempotent && [500, 502, 504].contains(response.status))
                guard transient else { return response }
                let wanted = RetryPolicy.retryAfter(response.headers["retry-after"])
                let delay = wanted ?? configuration.retry.backoff(after: attempt)
                guard attempt < configuration.retry.maximumAttempts, delay <= configuration.retry.maximumDelay,
                    hasTime(after: now + delay, before: deadline)
                else { return response }
                logger.info("HTTP \(response.status) from \(url); retrying in \(Self.format(delay)) s")
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            case .failure(let code, let message, let sent):
                logger.debug("HTTP \(request.method) \(url) failed after \(elapsed) ms: \(message)")
                let retryable = !sent || request.isIdempotent
                let delay = configuration.retry.backoff(after: attempt)
                guard retryable, attempt < configuration.retry.maximumAttempts,
                    hasTime(after: now + delay, before: deadline)
                else {
                    throw failure(request, code: code, message: message, sent: sent, attempts: attempt, since: begun)
                }
                logger.info("\(message); retrying in \(Self.format(delay)) s")
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            }
            attempt += 1
        }
    }

    /// A URL as traces and messages show it: secret query parameters, user information and the provider's secret
    /// values (a token in a path) replaced.
    private func redacted(_ url: String) -> String {
        var text = SecretRedactor.url(url)
        for secret in configuration.secretValues where secret.count >= 4 {
            text = text.replacing(secret, with: "<redacted>")
        }
        return text
    }

    /// Whether an attempt starting at `start` still gets a useful share of the budget: a quarter of the timeout.
    private func hasTime(after start: Double, before deadline: Double) -> Bool {
        deadline - start >= configuration.totalTimeout / 4
    }

    /// The error after the last attempt: what failed, where, after how long, and what to do.
    private func failure(
        _ request: HTTPRequest, code: Int, message: String, sent: Bool, attempts: Int, since begun: Double
    ) -> LexiconError {
        let host = Self.host(of: request.url)
        let tried = attempts > 1 ? " after \(attempts) attempts in \(Self.format(MonotonicClock.now() - begun)) s" : ""
        var tail =
            sent && !request.isIdempotent ? " The server may have applied the request; check before repeating it." : ""
        if code == 28 {  // CURLE_OPERATION_TIMEDOUT
            let limit = Self.format(configuration.totalTimeout)
            tail +=
                " The API at \(host) did not answer within \(limit) s"
                + (configuration.timeoutOption.map { "; raise \($0) if it is only slow" } ?? "") + "."
        }
        return LexiconError(.network, "\(request.method) to \(host) failed: \(message) (curl \(code))\(tried).\(tail)")
    }

    enum Outcome: Sendable {
        case response(HTTPResponse)
        /// `sent` is false when the request certainly did not reach the server.
        case failure(code: Int, message: String, sent: Bool)
    }

    /// Collects the body and headers of one transfer.
    final class Sink {
        var body: [UInt8] = []
        var headers: [String: String] = [:]
    }

    private func perform(_ request: HTTPRequest, totalTimeout: Double) -> Outcome {
        if let target = plainTarget(of: request.url) {
            return plain.withLock { connection in
                connection.perform(
                    request, to: target, userAgent: configuration.userAgent,
                    connectTimeout: min(configuration.connectTimeout, totalTimeout), totalTimeout: totalTimeout,
                    keep: configuration.reuseConnections)
            }
        }
        return handle.withLock { stored -> Outcome in
            if let failure = Self.loadFailure {
                return .failure(
                    code: -1, message: "libcurl cannot be loaded (install libcurl4): \(failure)", sent: false)
            }
            if stored == nil { stored = lexicon_curl_easy_init() }
            guard let easy = stored else { return .failure(code: -1, message: "cannot start libcurl", sent: false) }
            lexicon_curl_easy_reset(easy)
            let sink = Sink()
            let sinkPointer = Unmanaged.passRetained(sink).toOpaque()
            defer { Unmanaged<Sink>.fromOpaque(sinkPointer).release() }
            var list: UnsafeMutablePointer<curl_slist>?
            defer { lexicon_curl_slist_free_all(list) }
            var resolve: UnsafeMutablePointer<curl_slist>?
            defer { lexicon_curl_slist_free_all(resolve) }
            for entry in configuration.resolve { resolve = lexicon_curl_slist_append(resolve, entry) }
            for header in request.headers { list = lexicon_curl_slist_append(list, "\(header.name): \(header.value)") }
            if request.body != nil && !request.headers.contains(where: { $0.name.lowercased() == "expect" }) {
                list = lexicon_curl_slist_append(list, "Expect:")
            }
            _ = lexicon_curl_setopt_string(easy, CURLOPT_URL, request.url)
            _ = lexicon_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
            if request.method == "HEAD" { _ = lexicon_curl_setopt_long(easy, CURLOPT_NOBODY, 1) }
            _ = lexicon_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
            _ = lexicon_curl_setopt_string(easy, CURLOPT_USERAGENT, configuration.userAgent)
            _ = lexicon_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
            _ = lexicon_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, configuration.followRedirects ? 1 : 0)
            _ = lexicon_curl_setopt_long(easy, CURLOPT_MAXREDIRS, 5)
            if !configuration.verifyTLS {
                _ = lexicon_curl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0)
                _ = lexicon_curl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0)
            }
            if let caFile = configuration.caFile { _ = lexicon_curl_setopt_string(easy, CURLOPT_CAINFO, caFile) }
            if resolve != nil { _ = lexicon_curl_setopt_slist(easy, CURLOPT_RESOLVE, resolve) }
            if !configuration.reuseConnections {
                _ = lexicon_curl_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1)
                _ = lexicon_curl_setopt_long(easy, CURLOPT_FORBID_REUSE, 1)
            }
            _ = lexicon_curl_setopt_long(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
            _ = lexicon_curl_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")
            let connectTimeout = min(configuration.connectTimeout, totalTimeout)
            _ = lexicon_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000))
            _ = lexicon_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(totalTimeout * 1000))
            _ = lexicon_curl_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteBody)
            _ = lexicon_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, sinkPointer)
            _ = lexicon_curl_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION, curlWriteHeader)
            _ = lexicon_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, sinkPointer)
            if let body = request.body {
                _ = lexicon_curl_setopt_long(easy, CURLOPT_POSTFIELDSIZE, body.count)
                var copy = body
                copy.withUnsafeMutableBytes { bytes in
                    _ = lexicon_curl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, bytes.baseAddress)
                }
            }
            let code = lexicon_curl_easy_perform(easy)
            if code != CURLE_OK {
                let message = String(cString: lexicon_curl_easy_strerror(code))
                let notSent = [CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY]
                return .failure(code: Int(code.rawValue), message: message, sent: !notSent.contains(code))
            }
            var status = 0
            _ = lexicon_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            return .response(HTTPResponse(status: status, headers: sink.headers, body: sink.body))
        }
    }

    static func host(of url: String) -> String {
        guard let scheme = url.firstRange(of: "://") else { return "the server" }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        return String(authority.split(separator: "@").last ?? authority)
    }

    static func format(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

private func curlWriteBody(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
)
    -> Int
{
    guard let data, let context else { return 0 }
    let sink = Unmanaged<CurlTransport.Sink>.fromOpaque(context).takeUnretainedValue()
    let total = size * count
    data.withMemoryRebound(to: UInt8.self, capacity: total) {
        sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: total))
    }
    return total
}

private func curlWriteHeader(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
)
    -> Int
{
    guard let data, let context else { return 0 }
    let sink = Unmanaged<CurlTransport.Sink>.fromOpaque(context).takeUnretainedValue()
    let total = size * count
    let line = data.withMemoryRebound(to: UInt8.self, capacity: total) {
        String(decoding: UnsafeBufferPointer(start: $0, count: total), as: UTF8.self)
    }
    if line.hasPrefix("HTTP/") {
        sink.headers = [:]
        sink.body = []
    } else {
        HTTPHeaderFields.add(Substring(line), to: &sink.headers)
    }
    return total
}

/// Header fields as both ways of sending keep them (libcurl's header callback, ``PlainHTTPConnection``'s reader).
enum HTTPHeaderFields {
    /// Adds one `Name: value` line (its line end included or not): the name lower-cased, the value without the blanks
    /// around it, the last value of a name kept — but every cookie a response sets is kept, one `Set-Cookie` value a
    /// line (the first one first). A line without a colon is ignored.
    static func add(_ line: Substring, to headers: inout [String: String]) {
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters()
        if name == "set-cookie", let earlier = headers[name] {
            headers[name] = earlier + "\n" + value
        } else {
            headers[name] = value
        }
    }
}

extension Substring {
    /// Without the spaces and tabs before it and the blanks and line end after it.
    func trimmingCharacters() -> String {
        String(
            drop { $0 == " " || $0 == "\t" }.reversed().drop {
                $0 == " " || $0 == "\t" || $0 == "\r\n" || $0 == "\n" || $0 == "\r"
            }.reversed())
    }
}
