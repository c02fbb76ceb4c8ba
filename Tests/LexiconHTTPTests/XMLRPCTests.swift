import Lexicon
import LexiconHTTP
import Testing

@Suite("XML-RPC envelopes")
struct XMLRPCTests {
    func read(_ body: String, status: Int = 200) throws -> Result<XMLRPCValue, RPCFault> {
        try XMLRPC.response(
            HTTPResponse(status: status, headers: ["content-type": "text/xml"], body: Array(body.utf8)),
            operation: "create record", provider: "inwx", service: "INWX")
    }

    @Test func requestBodyWithEveryKindEscaped() {
        let params: [XMLRPCValue] = [
            .structure([
                ("domain", .string("example.com")), ("content", .string("v=spf1 <a> & \"b\"")), ("ttl", .int(300)),
                ("active", .bool(true)), ("off", .bool(false)), ("weight", .double(1.5)),
                ("names", .array([.string("a"), .int(-2)])), ("raw", .base64([0, 255])), ("empty", .array([])),
            ]),
            .string("second"),
        ]
        let body = String(decoding: XMLRPC.request(method: "nameserver.createRecord", params: params), as: UTF8.self)
        let expected =
            #"<?xml version="1.0" encoding="UTF-8"?><methodCall><methodName>nameserver.createRecord</methodName>"#
            + "<params><param><value><struct>"
            + "<member><name>domain</name><value><string>example.com</string></value></member>"
            + "<member><name>content</name><value><string>v=spf1 &lt;a&gt; &amp; &quot;b&quot;</string></value></member>"
            + "<member><name>ttl</name><value><int>300</int></value></member>"
            + "<member><name>active</name><value><boolean>1</boolean></value></member>"
            + "<member><name>off</name><value><boolean>0</boolean></value></member>"
            + "<member><name>weight</name><value><double>1.5</double></value></member>"
            + "<member><name>names</name><value><array><data><value><string>a</string></value>"
            + "<value><int>-2</int></value></data></array></value></member>"
            + "<member><name>raw</name><value><base64>AP8=</base64></value></member>"
            + "<member><name>empty</name><value><array><data></data></array></value></member>"
            + "</struct></value></param><param><value><string>second</string></value></param></params></methodCall>"
        #expect(body == expected)
    }

    @Test func requestBodyReadsBackToTheSameValues() throws {
        let value = XMLRPCValue.structure([
            ("a", .string(" x & y ")), ("b", .array([.int(1), .bool(false), .null, .dateTime("20250101T00:00:00")])),
        ])
        let body = Array(
            String(decoding: XMLRPC.request(method: "m", params: [value]), as: UTF8.self)
                .replacing("methodCall", with: "methodResponse").replacing("<methodName>m</methodName>", with: "")
                .utf8)
        let read = try XMLRPC.response(
            HTTPResponse(status: 200, body: body), operation: "o", provider: "p", service: "S")
        #expect(try read.get() == value)
    }

    /// An INWX DomRobot answer, as its documentation shows them (untyped values are strings, whitespace between
    /// elements).
    @Test func domRobotAnswer() throws {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <methodResponse>
              <params>
                <param>
                  <value>
                    <struct>
                      <member><name>code</name><value><int>1000</int></value></member>
                      <member><name>msg</name><value><string>Command completed successfully</string></value></member>
                      <member><name>resData</name><value><struct>
                        <member><name>record</name><value><array><data>
                          <value><struct>
                            <member><name>id</name><value><i4>12</i4></value></member>
                            <member><name>name</name><value>www.example.com</value></member>
                            <member><name>prio</name><value><int> 0 </int></value></member>
                          </struct></value>
                        </data></array></value></member>
                      </struct></value></member>
                    </struct>
                  </value>
                </param>
              </params>
            </methodResponse>
            """
        let value = try read(body).get()
        #expect(value["code"] == .int(1000) && value["msg"]?.string == "Command completed successfully")
        let record = value["resData"]?["record"]?.array?.first
        #expect(record?["id"]?.int == 12 && record?["name"]?.string == "www.example.com" && record?["prio"] == .int(0))
    }

    @Test func faultAnswer() throws {
        let body = """
            <?xml version="1.0"?>
            <methodResponse><fault><value><struct>
            <member><name>faultCode</name><value><int>2302</int></value></member>
            <member><name>faultString</name><value><string>Object exists &amp; stays</string></value></member>
            </struct></value></fault></methodResponse>
            """
        guard case .failure(let fault) = try read(body) else {
            Issue.record("expected a fault")
            return
        }
        #expect(fault == RPCFault(code: 2302, message: "Object exists & stays"))
        let error = fault.error(operation: "log in", provider: "inwx", service: "INWX", code: .authentication)
        #expect(
            error.code == .authentication && error.message == "log in: INWX answered fault 2302: Object exists & stays."
        )
    }

    @Test(arguments: [
        ("", "an empty body"), ("<html><body>Bad Gateway</body></html>", "<html>"),
        ("<methodResponse><params>", "does not parse"), ("<methodResponse/>", "neither"),
        ("<methodResponse><params></params></methodResponse>", "0 <param>"),
        ("<methodResponse><params><param><value><int>x</int></value></param></params></methodResponse>", "integer"),
        (
            "<methodResponse><params><param><value><boolean>2</boolean></value></param></params></methodResponse>",
            "0 or 1"
        ),
        (
            "<methodResponse><params><param><value><struct><member><name>a</name></member></struct></value></param></params></methodResponse>",
            "member"
        ),
        ("<methodResponse><params><param><value><array></array></value></param></params></methodResponse>", "<data>"),
        ("<methodResponse><params><param><value><blob/></value></param></params></methodResponse>", "unknown type"),
        (
            "<methodResponse><params><param><value><int>1</int><int>2</int></value></param></params></methodResponse>",
            "several"
        ),
        ("<methodResponse><fault><value><struct></struct></value></fault></methodResponse>", "faultCode"),
        ("<methodResponse><fault/></methodResponse>", "without a <value>"),
        (
            "<methodResponse><params><param><value><base64>***</base64></value></param></params></methodResponse>",
            "base64"
        ),
    ])
    func malformedAnswersAreProviderErrors(body: String, reason: String) {
        let error = #expect(throws: LexiconError.self) { try read(body, status: 502) }
        #expect(error?.code == .provider && error?.provider == "inwx")
        #expect(error?.message.hasPrefix("create record: INWX answered HTTP 502 (text/xml) with") == true)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let body = "<methodResponse><params><param>" + String(repeating: "<value><array><data>", count: 200)
        #expect(throws: LexiconError.self) { try read(body) }
    }
}
