import Dispatch
import Lexicon

/// Sends DNS messages to a list of servers: UDP first, TCP when the answer is truncated or the message is large,
/// a timeout per attempt, the next server on a timeout or a broken answer, TSIG signing and verification when a
/// key is set, and zone transfers (AXFR) over TCP.
public struct DNSClient: Sendable {
    /// The servers, tried in order.
    public var servers: [DNSServerAddress]
    /// Seconds allowed for one attempt at one server.
    public var timeout: Double
    /// Rounds over the server list before giving up.
    public var rounds: Int
    /// Signs requests and checks answers, when set.
    public var signer: TSIGSigner?
    /// Where attempts are traced.
    public var logger: LexiconLogger

    /// Creates a client.
    public init(
        servers: [DNSServerAddress], timeout: Double = 3, rounds: Int = 2, key: TSIGKey? = nil,
        logger: LexiconLogger = LexiconLogger()
    ) {
        self.servers = servers
        self.timeout = timeout
        self.rounds = rounds
        self.signer = key.map { TSIGSigner(key: $0) }
        self.logger = logger
    }

    /// Sends a message and returns the first good answer.
    /// - Parameters:
    ///   - message: The request; its id is kept.
    ///   - useTCP: Skip UDP (updates with large sets, or when asked).
    /// - Returns: The answer (any response code: callers decide what REFUSED or NXDOMAIN mean to them).
    /// - Throws: ``LexiconError`` `network` when no server answered, `authentication` when TSIG fails.
    public func exchange(_ message: DNSMessage, useTCP: Bool = false) async throws -> DNSMessage {
        try await Self.offload { try self.exchangeBlocking(message, useTCP: useTCP) }
    }

    /// Transfers a zone (AXFR over TCP), verifying every signed message of the stream.
    /// - Parameters:
    ///   - zone: The zone.
    ///   - refused: Makes the error for a server that answers the request with an error code (REFUSED, NOTAUTH:
    ///     the key may not transfer), from the code's name and the server; nil uses ``refusal(_:_:_:keyed:)``.
    /// - Returns: The zone's records, without the closing copy of the SOA.
    public func transfer(
        _ zone: DNSName, refused: (@Sendable (_ rcode: String, _ server: DNSServerAddress) -> LexiconError)? = nil
    ) async throws -> [DNSResourceRecord] {
        try await Self.offload { try self.transferBlocking(zone, refused: refused) }
    }

    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            // A queue of its own gets a thread of its own: blocking socket I/O never waits for a busy shared pool.
            DispatchQueue(label: "lexicon.dns").async { continuation.resume(with: Result { try work() }) }
        }
    }

    private func exchangeBlocking(_ message: DNSMessage, useTCP: Bool) throws -> DNSMessage {
        let plain = message.encoded()
        let (bytes, mac) = signer.map { $0.sign(plain) } ?? (plain, [])
        let limit = Int(message.ednsPayloadSize ?? 512)
        var failures: [String] = []
        for round in 0..<max(1, rounds) {
            for server in servers {
                let started = MonotonicClock.now()
                do {
                    let addresses = try DNSSocket.resolve(server)
                    guard let address = addresses.first else { throw DNSSocket.Failure.badAddress("no address") }
                    var answer: [UInt8]
                    var viaTCP = useTCP || bytes.count > limit
                    if !viaTCP {
                        answer = try DNSSocket.udpExchange(bytes, to: address, timeout: timeout) {
                            Self.matches($0, message)
                        }
                        if answer.count > 2, answer[2] & 0x02 != 0 {
                            logger.debug("DNS answer from \(server) is truncated; retrying over TCP")
                            viaTCP = true
                        }
                    } else {
                        answer = []
                    }
                    if viaTCP {
                        let connection = try DNSSocket.TCPConnection(to: address, timeout: timeout)
                        try connection.send(bytes)
                        answer = try connection.receive()
                        guard Self.matches(answer, message) else {
                            throw DNSWireError("the answer does not match the question")
                        }
                    }
                    let decoded = try DNSMessage(decoding: answer)
                    if let signer {
                        do {
                            _ = try signer.verify(answer, priorMAC: mac)
                        } catch TSIGSigner.Failure.unsigned where decoded.rcode != DNSRCode.noError {
                            // Servers answer REFUSED or NOTAUTH unsigned when they do not know the key at all.
                        } catch let failure as TSIGSigner.Failure {
                            throw Self.error(failure, signer.key, server)
                        }
                    }
                    let elapsed = Int((MonotonicClock.now() - started) * 1000)
                    logger.debug(
                        "DNS \(Self.describe(message)) to \(server) via \(viaTCP ? "TCP" : "UDP") -> \(decoded.rcodeName) in \(elapsed) ms"
                    )
                    return decoded
                } catch let failure as DNSSocket.Failure {
                    let text = Self.describe(failure, timeout: timeout)
                    logger.info("DNS server \(server) \(text)\(round + 1 < rounds ? "; trying the next one" : "")")
                    failures.append("\(server) \(text)")
                } catch let error as DNSWireError {
                    logger.info("DNS server \(server) sent a malformed answer: \(error.message)")
                    failures.append("\(server) sent a malformed answer (\(error.message))")
                }
            }
        }
        throw LexiconError(.network, "no DNS server answered: \(Self.summarize(failures)).")
    }

    private func transferBlocking(
        _ zone: DNSName, refused: (@Sendable (String, DNSServerAddress) -> LexiconError)?
    ) throws -> [DNSResourceRecord] {
        var request = DNSMessage(id: .random(in: 0...UInt16.max))
        request.questions = [DNSMessage.Question(name: zone, type: .axfr)]
        let plain = request.encoded()
        let (bytes, mac) = signer.map { $0.sign(plain) } ?? (plain, [])
        var failures: [String] = []
        for server in servers {
            do {
                guard let address = try DNSSocket.resolve(server).first else {
                    throw DNSSocket.Failure.badAddress("no address")
                }
                // A transfer may take longer than one query: allow ten attempts' worth.
                let connection = try DNSSocket.TCPConnection(to: address, timeout: timeout * 10)
                try connection.send(bytes)
                var records: [DNSResourceRecord] = []
                var priorMAC = mac
                var unsigned: [UInt8] = []
                var first = true
                var soaCount = 0
                while soaCount < 2 {
                    let answer = try connection.receive()
                    guard Self.matches(answer, request, transfer: !first) else {
                        throw DNSWireError("the transfer answer does not match the request")
                    }
                    let message = try DNSMessage(decoding: answer)
                    if let signer {
                        do {
                            priorMAC = try signer.verify(
                                answer, priorMAC: priorMAC, timersOnly: !first, unsignedBefore: unsigned)
                            unsigned = []
                        } catch TSIGSigner.Failure.unsigned where !first && unsigned.count < 1_000_000 {
                            unsigned += answer
                        } catch TSIGSigner.Failure.unsigned where message.rcode != DNSRCode.noError {
                        } catch let failure as TSIGSigner.Failure {
                            throw Self.error(failure, signer.key, server)
                        }
                    }
                    guard message.rcode == DNSRCode.noError else {
                        throw refused?(message.rcodeName, server)
                            ?? Self.refusal(message.rcodeName, "transfer of \(zone.bare)", server, keyed: signer != nil)
                    }
                    if first {
                        guard message.answers.first?.type == .soa else {
                            throw DNSWireError("the transfer does not start with the zone's SOA")
                        }
                    }
                    first = false
                    guard !message.answers.isEmpty else { throw DNSWireError("a transfer message has no records") }
                    for record in message.answers {
                        if record.type == .soa { soaCount += 1 }
                        if soaCount < 2 { records.append(record) }
                    }
                }
                if signer != nil && !unsigned.isEmpty {
                    throw LexiconError(.authentication, "the transfer from \(server) ended with unsigned messages")
                }
                return records
            } catch let failure as DNSSocket.Failure {
                failures.append("\(server) \(Self.describe(failure, timeout: timeout * 10))")
            } catch let error as DNSWireError {
                failures.append("\(server) sent a malformed transfer (\(error.message))")
            }
        }
        throw LexiconError(.network, "the zone transfer of \(zone.bare) failed: \(Self.summarize(failures)).")
    }

    /// Whether bytes are an answer to the message: a response with the same id and the same question.
    static func matches(_ answer: [UInt8], _ request: DNSMessage, transfer: Bool = false) -> Bool {
        guard answer.count >= 12, answer[2] & 0x80 != 0,
            UInt16(answer[0]) << 8 | UInt16(answer[1]) == request.id
        else { return false }
        let questionCount = UInt16(answer[4]) << 8 | UInt16(answer[5])
        if questionCount == 0 { return transfer || answer[3] & 0x0F != 0 }
        var reader = WireReader(answer)
        reader.offset = 12
        guard let name = try? reader.name(), let type = try? reader.u16(), let question = request.questions.first
        else { return false }
        return name == question.name && type == question.type.rawValue
    }

    /// A user-facing error for a refusing answer.
    public static func refusal(_ rcode: String, _ what: String, _ server: DNSServerAddress, keyed: Bool) -> LexiconError
    {
        switch rcode {
        case "REFUSED":
            let hint =
                keyed
                ? "the server does not host the zone, does not let this key change the name, or its checks rejected the data (its log says which)"
                : "it may require a TSIG key (--auth-token or --auth-key-file)"
            return LexiconError(.authentication, "\(server) refused the \(what) (REFUSED): \(hint).")
        case "NOTAUTH":
            return LexiconError(
                .authentication,
                "\(server) is not authoritative for the \(what) (NOTAUTH), or did not accept the key: check --ddns-server and the zone."
            )
        default:
            return LexiconError(.provider, "\(server) answered the \(what) with \(rcode).")
        }
    }

    static func error(_ failure: TSIGSigner.Failure, _ key: TSIGKey, _ server: DNSServerAddress) -> LexiconError {
        switch failure {
        case .rejectedByServer(let code):
            return LexiconError(
                .authentication,
                "\(server) rejected \(key) (\(code)): check the key name, algorithm and secret (--auth-token or --auth-key-file)."
            )
        case .serverClockSkew(let skew):
            let by = skew.map { " by \(abs($0)) s" } ?? ""
            return LexiconError(
                .authentication, "\(server) says our clock differs from its clock\(by) (BADTIME): set the clock (NTP).")
        case .answerClockSkew(let skew):
            return LexiconError(
                .authentication,
                "the answer from \(server) is signed \(abs(skew)) s \(skew > 0 ? "ahead of" : "behind") our clock, more than TSIG allows: set the clock (NTP)."
            )
        case .badAnswerSignature:
            return LexiconError(.authentication, "the answer from \(server) is not signed with \(key): refusing it.")
        case .unsigned:
            return LexiconError(.authentication, "the answer from \(server) is not signed although \(key) was used.")
        }
    }

    static func describe(_ failure: DNSSocket.Failure, timeout: Double) -> String {
        switch failure {
        case .timeout: return "did not answer within \(Int(timeout.rounded())) s"
        case .connectionRefused: return "refused the connection (is a DNS server listening there?)"
        case .closed: return "closed the connection"
        case .system(let text): return "failed: \(text)"
        case .badAddress(let text): return "cannot be reached: \(text)"
        }
    }

    static func describe(_ message: DNSMessage) -> String {
        let opcode = message.opcode == DNSMessage.update ? "UPDATE" : "QUERY"
        guard let question = message.questions.first else { return opcode }
        return "\(opcode) \(question.name.bare) \(question.type)"
    }

    static func summarize(_ failures: [String]) -> String {
        var seen: [String] = []
        for failure in failures where !seen.contains(failure) { seen.append(failure) }
        return seen.joined(separator: "; ")
    }
}
