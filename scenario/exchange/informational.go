package exchange

// The notes on the exports of cmdlets whose objects carry no mail
// routing: recognised, so never "not an export of a supported cmdlet",
// and imported as nothing.
const (
	// Organization relationships share free/busy information and allow
	// mailbox moves with another organization ("New-OrganizationRelationship";
	// "Organization relationships in Exchange Online"); mail between the
	// organizations goes by connectors and MX records.
	organizationRelationshipNote = "not imported: organization relationships share calendar free/busy information " +
		"and mailbox moves with another organization; they do not affect mail flow (Microsoft: \"New-OrganizationRelationship\")"
	// The Intra-Organization connector gives features and services
	// (free/busy, OAuth) their endpoints across organizations
	// ("New-IntraOrganizationConnector"); mail goes by Send, inbound and
	// outbound connectors.
	intraOrganizationConnectorNote = "not imported: the Intra-Organization connector connects features and services " +
		"(Autodiscover, free/busy with OAuth) across organizations; it does not affect mail flow (Microsoft: \"New-IntraOrganizationConnector\")"
)

// convertInformational returns the converter of a family whose objects
// do not affect mail flow: it imports nothing and notes the file once,
// whatever the number of its objects (the notes share index -1, so
// [dedupe] keeps one per file, before the file's other notes).
func convertInformational(message string) func(c *converter) any {
	return func(c *converter) any {
		*c.notes = append(*c.notes, note{file: c.rec.file, index: -1, path: c.rec.file, message: message})
		return nil
	}
}
