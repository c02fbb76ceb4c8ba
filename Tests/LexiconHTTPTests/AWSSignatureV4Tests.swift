import LexiconHTTP
import Testing

@Suite("AWS Signature V4")
struct AWSSignatureV4Tests {
    /// AWS's published "get-vanilla" example (also recomputed here independently from the specification).
    @Test func matchesTheDocumentedExample() {
        let signer = AWSSignatureV4(
            accessKey: "AKIDEXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1",
            service: "service")
        let signed = signer.sign(HTTPRequest(url: "https://example.amazonaws.com/"), amzDate: "20150830T123600Z")
        let authorization = signed.headers.first { $0.name == "Authorization" }?.value
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        )
    }
}
