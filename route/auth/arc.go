package auth

// ARCResult is the result of the ARC chain a hop received (RFC 8617,
// section 4.4): "pass" or "none".
type ARCResult string

// The ARC results.
const (
	ARCNone ARCResult = "none" // no ARC set
	ARCPass ARCResult = "pass" // the chain validates
)

// ARC is what the Authenticated Received Chain (RFC 8617) brought to a
// hop: the domain of the intermediary that sealed the message last, the
// DMARC result it recorded in its ARC-Authentication-Results on arrival,
// and whether the receiving tenant trusts it (Set-ArcConfig
// -ArcTrustedSealers; Microsoft: "Configure trusted ARC sealers").
type ARC struct {
	Result ARCResult `json:"result"`
	// Sealer is the sealer's domain (the ARC-Seal's d=); "" with none.
	Sealer string `json:"sealer,omitempty"`
	// SealedDMARC is the DMARC result the sealer recorded.
	SealedDMARC DMARCResult `json:"sealedDmarc,omitempty"`
	// Trusted: Sealer is one of the tenant's ArcTrustedSealers.
	Trusted bool `json:"trusted"`
	// Overrode: the trusted sealer's DMARC pass overrode this hop's DMARC
	// failure (compauth=pass reason=130).
	Overrode bool `json:"overrode"`
}

// Override applies a trusted ARC sealer's result (Microsoft: "Configure
// trusted ARC sealers"; "Anti-spam message headers in Microsoft 365":
// compauth reason 130, the ARC result overrode the DMARC failure): when d
// failed, the chain passes, its sealer is trusted and it recorded a DMARC
// pass, composite authentication passes with reason 130 and it reports
// true; otherwise nothing changes.
func Override(a *ARC, d DMARC, c *CompAuth) bool {
	if a == nil || d.Result != DMARCFail || a.Result != ARCPass || !a.Trusted || a.SealedDMARC != DMARCPass {
		return false
	}
	a.Overrode = true
	*c = CompAuth{Result: CompAuthPass, Reason: "130"}
	return true
}
