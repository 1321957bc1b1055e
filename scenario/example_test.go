package scenario_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/mailflowsim/mailflow/route"
	"github.com/mailflowsim/mailflow/route/render"
	"github.com/mailflowsim/mailflow/scenario"
)

// The outcome matrix of the Contoso hybrid scenario, for one flow: an
// Internet message to Julie (on-premises) and David (Exchange Online) in
// each of the four variants.
func ExampleWriteTable() {
	runs, err := scenario.ContosoHybrid().Run()
	if err != nil {
		log.Fatal(err)
	}
	var flow []scenario.Run
	for _, r := range runs {
		if r.Flow == "Internet to Julie and David" {
			flow = append(flow, r)
		}
	}
	if err := scenario.WriteTable(os.Stdout, flow); err != nil {
		log.Fatal(err)
	}
	// Output:
	// FLOW                         SETTINGS                                  RECIPIENT          DISPOSITION  STATUS  SPLIT                PATH
	// Internet to Julie and David  centralizedTransport=false mx=EOP         julie@contoso.com  Delivered    -       -                    internet > eop:contoso > exo:contoso > eop:contoso > onprem:contoso/EX01 > onprem:contoso/EX02
	// Internet to Julie and David  centralizedTransport=false mx=EOP         david@contoso.com  Delivered    -       exo:contoso          internet > eop:contoso > exo:contoso
	// Internet to Julie and David  centralizedTransport=true mx=EOP          julie@contoso.com  Delivered    -       -                    internet > eop:contoso > onprem:contoso/EX01 > onprem:contoso/EX02
	// Internet to Julie and David  centralizedTransport=true mx=EOP          david@contoso.com  Delivered    -       onprem:contoso/EX01  internet > eop:contoso > onprem:contoso/EX01 > eop:contoso > exo:contoso
	// Internet to Julie and David  centralizedTransport=false mx=OnPremises  julie@contoso.com  Delivered    -       -                    internet > onprem:contoso/EX01 > onprem:contoso/EX02
	// Internet to Julie and David  centralizedTransport=false mx=OnPremises  david@contoso.com  Delivered    -       onprem:contoso/EX01  internet > onprem:contoso/EX01 > eop:contoso > exo:contoso
	// Internet to Julie and David  centralizedTransport=true mx=OnPremises   julie@contoso.com  Delivered    -       -                    internet > onprem:contoso/EX01 > onprem:contoso/EX02
	// Internet to Julie and David  centralizedTransport=true mx=OnPremises   david@contoso.com  Delivered    -       onprem:contoso/EX01  internet > onprem:contoso/EX01 > eop:contoso > exo:contoso
}

// David, in Exchange Online, writes to Erin on the Internet, with
// contoso.com's MX pointing to EOP and centralized mail transport off.
func ExampleContoso() {
	t := scenario.Contoso(scenario.ContosoSettings{MX: scenario.MXToEOP})
	res, err := route.Trace(t, route.Message{From: scenario.David, To: []string{scenario.Erin}})
	if err != nil {
		log.Fatal(err)
	}
	if err := render.Text(os.Stdout, res); err != nil {
		log.Fatal(err)
	}
	// Output:
	// david@contoso.com -> erin@cpandl.com (enters at exo:contoso)
	// copy 0: erin@cpandl.com
	//   1 exo:contoso  ExchangeOnline  Internal/Originating
	//       +AntiMalware +TransportRules -AntiSpam +Journal
	//       -AntiSpam: submitted by an authenticated sender of the organization: not spam-filtered on its
	//         way to the organization's mailboxes; mail that leaves the organization meets EOP's outbound
	//         spam filter
	//       RECEIVE SEND: cpandl.com is not an accepted domain of tenant contoso: sent to EOP for delivery
	//         outside the organization
	//   2 eop:contoso  EOP  Internal/Originating  TLS
	//       +AntiSpam
	//       RECEIVE SEND: no outbound connector matches cpandl.com: EOP delivers by DNS, MX cpandl.com: 10
	//         mx.cpandl.com (ext:cpandl)
	//   3 ext:cpandl  Internet/InternetMX  -  TLS
	//       RECEIVE: ext:cpandl is outside the modelled organizations: the message is handed over to it
	//   => erin@cpandl.com: Relayed at hop 3 (ext:cpandl)
}

// ExampleLoad loads a topology file with a message and its expectation,
// and runs it.
func ExampleLoad() {
	file := `{
  "Tenants": [{"Name": "fabrikam", "AcceptedDomains": [{"DomainName": "fabrikam.com"}],
               "Recipients": [{"Name": "Ana", "RecipientTypeDetails": "UserMailbox", "PrimarySmtpAddress": "ana@fabrikam.com"}]}],
  "MXRecords": [{"Domain": "fabrikam.com", "NameExchange": "fabrikam-com.mail.protection.outlook.com"}],
  "Messages": [{"Name": "Internet to Ana", "From": "erin@cpandl.com", "To": "ana@fabrikam.com",
                "Expect": {"Recipients": {"ana@fabrikam.com": {"Disposition": "Delivered", "Path": ["EOP", "ExchangeOnline"]}}}}]
}`
	f, topo, err := scenario.Load(strings.NewReader(file))
	if err != nil {
		panic(err)
	}
	runs, err := f.Run("fabrikam.json", topo)
	if err != nil {
		panic(err)
	}
	for _, r := range runs {
		fmt.Println(r.Flow, r.Result.Recipients[0].Disposition, r.Checked, r.Mismatches)
	}
	// Output:
	// Internet to Ana Delivered true []
}
