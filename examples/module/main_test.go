package main

func Example() {
	main()
	// Output:
	// megan@contoso.com: Rejected at eop:contoso, 550 5.7.51 TenantInboundAttribution; There is a partner connector configured that matched the message's recipient domain. The connector had either the RestrictDomainsToIPAddresses or RestrictDomainsToCertificate set
	//   inbound connector "From ContosoBank", TLS failure SubjectMismatch
}
