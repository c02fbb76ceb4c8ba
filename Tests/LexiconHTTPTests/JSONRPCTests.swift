import Lexicon
import LexiconHTTP
import Testing

@Suite("JSON-RPC envelopes")
struct JSONRPCTests {
    func answer(_ body: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json"], body: Array(body.utf8))
    }

    func read(_ body: String, status: Int = 200, id: JSONValue? = .int(7)) throws -> Result<JSONValue, RPCFault> {
        try JSONRPC.response(
            answer(body, status: status), id: id, operation: "list records", provider: "inwx", service: "INWX")
    }

    @Test func requestBody() {
        let params = JSONValue.object([("domain", .string("example.com")), ("type", .string("TXT"))])
        let body = JSONRPC.request(method: "nameserver.info", params: params, id: .int(7))
        #expect(
            String(decoding: body, as: UTF8.self)
                == #"{"jsonrpc":"2.0","method":"nameserver.info","params":{"domain":"example.com","type":"TXT"},"id":7}"#
        )
        #expect(
            String(decoding: JSONRPC.request(method: "ping", id: .string("a\"b")), as: UTF8.self)
                == #"{"jsonrpc":"2.0","method":"ping","id":"a\"b"}"#)
    }

    @Test func result() throws {
        let outcome = try read(#"{"jsonrpc":"2.0","result":{"record":[{"id":1}]},"id":7}"#)
        #expect(try outcome.get()["record"]?.array?.count == 1)
        #expect(try read(#"{"jsonrpc":"2.0","result":null,"id":7}"#).get() == .null)
        #expect(try read(#"{"result":true,"error":null,"id":null}"#).get() == .bool(true))
    }

    @Test func faultWithCodeMessageAndData() throws {
        let outcome = try read(
            #"{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found","data":{"m":"x"}},"id":7}"#,
            status: 500)
        guard case .failure(let fault) = outcome else {
            Issue.record("expected a fault")
            return
        }
        #expect(fault == RPCFault(code: -32601, message: "Method not found", data: .object([("m", .string("x"))])))
        let error = fault.error(operation: "list records", provider: "inwx", service: "INWX")
        #expect(error.code == .provider && error.provider == "inwx")
        #expect(error.message == "list records: INWX answered fault -32601: Method not found.")
    }

    @Test(arguments: [
        ("<html>Bad Gateway</html>", "does not parse"), ("", "an empty body"), ("[1]", "not an object"),
        (#"{"jsonrpc":"1.0","result":1,"id":7}"#, "jsonrpc"), (#"{"jsonrpc":"2.0","result":1,"id":8}"#, "id 8"),
        (#"{"jsonrpc":"2.0","id":7}"#, "neither"), (#"{"result":1,"error":{"code":1,"message":"m"},"id":7}"#, "both"),
        (#"{"error":{"message":"m"},"id":7}"#, "no integer code"), (#"{"error":{"code":1},"id":7}"#, "no message"),
        (#"{"error":"oops","id":7}"#, "no integer code"), ("{\"result\":", "not parse"),
    ])
    func malformedAnswersAreProviderErrors(body: String, reason: String) {
        let error = #expect(throws: LexiconError.self) { try read(body, status: 502) }
        #expect(error?.code == .provider && error?.provider == "inwx")
        #expect(error?.message.hasPrefix("list records: INWX answered HTTP 502") == true)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }
}
