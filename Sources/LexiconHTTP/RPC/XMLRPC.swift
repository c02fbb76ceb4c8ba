import Lexicon

/// XML-RPC envelopes (http://xmlrpc.com/spec.md): the `<methodCall>` body and the reading of the
/// `<methodResponse>`, on our XML reader. INWX's DomRobot (`https://api.domrobot.com/xmlrpc/`) speaks it.
public enum XMLRPC {
    /// The content type of requests.
    public static let contentType = "text/xml; charset=UTF-8"

    /// A request body: `<?xml …?><methodCall><methodName>…</methodName><params>…</params></methodCall>`, text
    /// escaped.
    /// - Parameters:
    ///   - method: The method's name (`nameserver.info`).
    ///   - params: The parameters in order (INWX takes one struct).
    public static func request(method: String, params: [XMLRPCValue]) -> [UInt8] {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        text += "<methodCall><methodName>\(XMLElement.escape(method))</methodName><params>"
        for param in params { text += "<param>\(param.xml)</param>" }
        text += "</params></methodCall>"
        return Array(text.utf8)
    }

    /// Reads an answer: its one parameter, or its `<fault>`. The HTTP status is not checked (faults come with 200):
    /// check for 401 and 403 before calling this.
    /// - Parameters:
    ///   - response: The HTTP response.
    ///   - operation: What was being done (`list records`), for messages.
    ///   - provider: The provider's name.
    ///   - service: The service's name in messages.
    /// - Returns: The value, or the fault.
    /// - Throws: ``LexiconError`` `provider` when the body is not an XML-RPC answer.
    public static func response(_ response: HTTPResponse, operation: String, provider: String, service: String)
        throws -> Result<XMLRPCValue, RPCFault>
    {
        do throws(XMLRPCFormatError) {
            return try read(response.body)
        } catch {
            let type = response.headers["content-type"].map { DisplayText.escaped(Array($0.utf8), limit: 60) }
            throw LexiconError(
                .provider,
                "\(operation): \(service) answered HTTP \(response.status) (\(type ?? "no content type")) with "
                    + "\(error.message), not an XML-RPC answer: \"\(DisplayText.escaped(response.body))\"",
                provider: provider)
        }
    }

    /// Reads a `<methodCall>` body, as a server (a test's fake) does.
    /// - Parameter body: The request body.
    /// - Returns: The method's name and the parameters in order, or nil when the body is not an XML-RPC call.
    public static func call(_ body: [UInt8]) -> (method: String, params: [XMLRPCValue])? {
        guard let root = try? XMLElement(parsing: body), root.name == "methodCall",
            let method = root.child("methodName")?.text, !method.isEmpty
        else { return nil }
        var params: [XMLRPCValue] = []
        for param in root.child("params")?.all("param") ?? [] {
            guard let value = param.child("value"), let parsed = try? XMLRPCValue(element: value) else { return nil }
            params.append(parsed)
        }
        return (method, params)
    }

    /// A `<methodResponse>` body with one parameter, as a server answers.
    public static func answer(_ value: XMLRPCValue) -> [UInt8] {
        Array(
            ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodResponse><params><param>\(value.xml)</param></params>"
                + "</methodResponse>").utf8)
    }

    /// A `<methodResponse>` body with a `<fault>`, as a server answers a call it cannot read.
    public static func answer(_ fault: RPCFault) -> [UInt8] {
        let value = XMLRPCValue.structure([("faultCode", .int(fault.code)), ("faultString", .string(fault.message))])
        return Array(
            ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodResponse><fault>\(value.xml)</fault></methodResponse>")
                .utf8)
    }

    private static func read(_ body: [UInt8]) throws(XMLRPCFormatError) -> Result<XMLRPCValue, RPCFault> {
        let root: XMLElement
        do {
            root = try XMLElement(parsing: body)
        } catch {
            throw XMLRPCFormatError(body.isEmpty ? "an empty body" : "XML that does not parse (\(error))")
        }
        guard root.name == "methodResponse" else { throw XMLRPCFormatError("a <\(root.name)> document") }
        if let fault = root.child("fault") {
            guard let value = fault.child("value") else { throw XMLRPCFormatError("a <fault> without a <value>") }
            let parsed = try XMLRPCValue(element: value)
            guard let code = parsed["faultCode"]?.int, let message = parsed["faultString"]?.string else {
                throw XMLRPCFormatError("a <fault> without faultCode and faultString")
            }
            return .failure(RPCFault(code: code, message: message))
        }
        guard let params = root.child("params") else { throw XMLRPCFormatError("neither <params> nor <fault>") }
        let values = params.all("param")
        guard values.count == 1, let value = values[0].child("value") else {
            throw XMLRPCFormatError("\(values.count) <param> elements where one <param><value> belongs")
        }
        return .success(try XMLRPCValue(element: value))
    }
}
