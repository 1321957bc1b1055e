package auth

// CompAuthResult is the result of composite authentication, Microsoft's
// verdict over SPF, DKIM and DMARC (Microsoft: "Anti-spam message headers
// in Microsoft 365"): "pass".
type CompAuthResult string

// The composite authentication results.
const (
	CompAuthPass     CompAuthResult = "pass"
	CompAuthSoftPass CompAuthResult = "softpass"
	CompAuthFail     CompAuthResult = "fail"
	CompAuthNone     CompAuthResult = "none"
)

// CompAuth is composite authentication at one hop.
type CompAuth struct {
	Result CompAuthResult `json:"result"`
	// Reason is the three-digit reason code of the compauth field: 000
	// (explicit failure: DMARC fail with a quarantine or reject policy),
	// 001 (implicit failure: no DMARC pass, and no DMARC record with an
	// SPF pass, or p=none), 010 (as 000, the From domain being an accepted
	// domain of the tenant), 100 (DMARC passed), 130 (a trusted ARC
	// sealer's result overrode a DMARC failure: [Override]), 200 (soft pass: no DMARC
	// record, and SPF passed); "" with none.
	Reason string `json:"reason,omitempty"`
}

// Composite returns composite authentication for the SPF and DMARC
// results (spf is the SPF result DMARC read); fromAccepted tells whether the From domain is an accepted
// domain of the receiving tenant. The reason codes are those "Anti-spam
// message headers in Microsoft 365" documents; Microsoft's implicit
// authentication, which reads other signals, is not modelled
// (docs/behaviour.md#l92-dmarc-and-composite-authentication).
func Composite(spf SPF, d DMARC, fromAccepted bool) CompAuth {
	switch {
	case d.Result == DMARCPass:
		return CompAuth{CompAuthPass, "100"}
	case d.Result == DMARCTempError:
		return CompAuth{Result: CompAuthNone}
	case d.Result == DMARCFail && (d.Policy == PolicyQuarantine || d.Policy == PolicyReject) && fromAccepted:
		return CompAuth{CompAuthFail, "010"}
	case d.Result == DMARCFail && (d.Policy == PolicyQuarantine || d.Policy == PolicyReject):
		return CompAuth{CompAuthFail, "000"}
	case d.Result == DMARCNone && spf.Result == SPFPass:
		return CompAuth{CompAuthSoftPass, "200"}
	}
	return CompAuth{CompAuthFail, "001"}
}
