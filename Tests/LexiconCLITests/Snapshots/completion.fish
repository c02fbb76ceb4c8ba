# fish completion for lexicon; load with: lexicon completion fish | source
complete -c lexicon -f
complete -c lexicon -n '__fish_use_subcommand' -a 'aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto providers completion manpage help dyndns failover hook wait-propagation'
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -a 'create list update delete sync-ip export apply batch'
complete -c lexicon -l config-dir
complete -c lexicon -l delegated
complete -c lexicon -l help
complete -c lexicon -l http-timeout
complete -c lexicon -l log-level
complete -c lexicon -l nameserver
complete -c lexicon -l no-follow-cname
complete -c lexicon -l output
complete -c lexicon -l resolve-zone-name
complete -c lexicon -l resolver
complete -c lexicon -l version
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l name
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l content
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l ttl
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l priority
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l identifier
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l wait
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l wait-timeout
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l wait-interval
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l ip
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l detect
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l quorum
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l allow-nonpublic
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l state-dir
complete -c lexicon -n '__fish_seen_subcommand_from aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto' -l dry-run
complete -c lexicon -n '__fish_seen_subcommand_from dyndns' -a 'run check status clear presets'
complete -c lexicon -n '__fish_seen_subcommand_from dyndns' -l config
complete -c lexicon -n '__fish_seen_subcommand_from dyndns' -l once
complete -c lexicon -n '__fish_seen_subcommand_from dyndns' -l json
complete -c lexicon -n '__fish_seen_subcommand_from dyndns' -l log-json
complete -c lexicon -n '__fish_seen_subcommand_from failover' -a 'run once status'
complete -c lexicon -n '__fish_seen_subcommand_from failover' -l config
complete -c lexicon -n '__fish_seen_subcommand_from failover' -l state-file
complete -c lexicon -n '__fish_seen_subcommand_from failover' -l dry-run
complete -c lexicon -n '__fish_seen_subcommand_from failover' -l json
complete -c lexicon -n '__fish_seen_subcommand_from failover' -l log-json
complete -c lexicon -n '__fish_seen_subcommand_from hook' -a 'certbot dehydrated lego install'
complete -c lexicon -n '__fish_seen_subcommand_from wait-propagation' -l timeout
complete -c lexicon -n '__fish_seen_subcommand_from wait-propagation' -l interval
complete -c lexicon -n '__fish_seen_subcommand_from wait-propagation' -l absent
complete -c lexicon -n '__fish_seen_subcommand_from certbot' -a 'auth cleanup'
complete -c lexicon -n '__fish_seen_subcommand_from dehydrated' -a 'deploy_challenge clean_challenge'
complete -c lexicon -n '__fish_seen_subcommand_from lego' -a 'present cleanup'
complete -c lexicon -l auth-config-file -r -F
complete -c lexicon -l auth-key-file -r -F
complete -c lexicon -l config -r -F
complete -c lexicon -l config-dir -r -F
complete -c lexicon -l file -r -F
complete -c lexicon -l filename -r -F
complete -c lexicon -l state-dir -r -F
complete -c lexicon -l state-file -r -F
complete -c lexicon -n '__fish_seen_subcommand_from aliyun' -l auth-key-id -d 'An AccessKey id of a RAM user allowed to manage Alibaba Cloud DNS.'
complete -c lexicon -n '__fish_seen_subcommand_from aliyun' -l auth-secret -d 'The AccessKey secret.'
complete -c lexicon -n '__fish_seen_subcommand_from aliyun' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from azure' -l auth-client-id -d 'The application (client) id of the service principal.'
complete -c lexicon -n '__fish_seen_subcommand_from azure' -l auth-client-secret -d 'A client secret of the application.'
complete -c lexicon -n '__fish_seen_subcommand_from azure' -l auth-tenant-id -d 'The directory (tenant) id the application is registered in.'
complete -c lexicon -n '__fish_seen_subcommand_from azure' -l auth-subscription-id -d 'The subscription id that holds the resource group.'
complete -c lexicon -n '__fish_seen_subcommand_from azure' -l resource-group -d 'The resource group that holds the DNS zone.'
complete -c lexicon -n '__fish_seen_subcommand_from azure' -l api-endpoint -d 'The Resource Manager base URL (another clouds, or a tests).'
complete -c lexicon -n '__fish_seen_subcommand_from azure' -l token-endpoint -d 'The Microsoft Entra ID login base URL the token is asked for at.'
complete -c lexicon -n '__fish_seen_subcommand_from cloudflare' -l auth-token -d 'An API token with Zone:DNS:Edit, or the global API key (then give --auth-username).'
complete -c lexicon -n '__fish_seen_subcommand_from cloudflare' -l auth-username -d 'The account e-mail, only with the global API key.'
complete -c lexicon -n '__fish_seen_subcommand_from cloudflare' -l zone-id -d 'The zones id, for tokens limited to one zone (skips the zone lookup).'
complete -c lexicon -n '__fish_seen_subcommand_from cloudflare' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from cloudns' -l auth-id -d 'The id of a ClouDNS API user (API & Resellers).'
complete -c lexicon -n '__fish_seen_subcommand_from cloudns' -l auth-subid -d 'The id of a ClouDNS API sub-user, instead of --auth-id.'
complete -c lexicon -n '__fish_seen_subcommand_from cloudns' -l auth-subuser -d 'The name of a ClouDNS API sub-user, instead of --auth-id.'
complete -c lexicon -n '__fish_seen_subcommand_from cloudns' -l auth-password -d 'The API users or sub-users password.'
complete -c lexicon -n '__fish_seen_subcommand_from cloudns' -l weight -d 'The SRV weight to write, instead of the one in the content.'
complete -c lexicon -n '__fish_seen_subcommand_from cloudns' -l port -d 'The SRV port to write, instead of the one in the content.'
complete -c lexicon -n '__fish_seen_subcommand_from cloudns' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from constellix' -l auth-username -d 'The Constellix API key (Edit My Profile > API).'
complete -c lexicon -n '__fish_seen_subcommand_from constellix' -l auth-token -d 'The Constellix secret key that goes with the API key.'
complete -c lexicon -n '__fish_seen_subcommand_from constellix' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from desec' -l auth-token -d 'An API token (Token Management at desec.io).'
complete -c lexicon -n '__fish_seen_subcommand_from desec' -l auth-username -d 'The accounts e-mail, to log in instead of giving a token.'
complete -c lexicon -n '__fish_seen_subcommand_from desec' -l auth-password -d 'The accounts password, with --auth-username.'
complete -c lexicon -n '__fish_seen_subcommand_from desec' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from digitalocean' -l auth-token -d 'A personal access token with write scope.'
complete -c lexicon -n '__fish_seen_subcommand_from digitalocean' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from dnsimple' -l auth-token -d 'An account or user API token.'
complete -c lexicon -n '__fish_seen_subcommand_from dnsimple' -l auth-username -d 'The account e-mail, for basic auth instead of a token.'
complete -c lexicon -n '__fish_seen_subcommand_from dnsimple' -l auth-password -d 'The password, with --auth-username.'
complete -c lexicon -n '__fish_seen_subcommand_from dnsimple' -l auth-2fa -d 'A one-time password, when the account uses two-factor authentication.'
complete -c lexicon -n '__fish_seen_subcommand_from dnsimple' -l api-endpoint -d 'The APIs base URL (the sandbox is https://api.sandbox.dnsimple.com/v2).'
complete -c lexicon -n '__fish_seen_subcommand_from dnsmadeeasy' -l auth-username -d 'The DNS Made Easy API key (Config > Account Information).'
complete -c lexicon -n '__fish_seen_subcommand_from dnsmadeeasy' -l auth-token -d 'The DNS Made Easy secret key that goes with the API key.'
complete -c lexicon -n '__fish_seen_subcommand_from dnsmadeeasy' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from dnspod' -l auth-username -d 'The ID of a DNSPod API token (the number before the comma of login_token).'
complete -c lexicon -n '__fish_seen_subcommand_from dnspod' -l auth-token -d 'The token itself.'
complete -c lexicon -n '__fish_seen_subcommand_from dnspod' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from dreamhost' -l auth-token -d 'A DreamHost API key allowed the dns-* commands (Panel > API).'
complete -c lexicon -n '__fish_seen_subcommand_from dreamhost' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from duckdns' -l auth-token -d 'The account token from duckdns.org.'
complete -c lexicon -n '__fish_seen_subcommand_from duckdns' -l api-endpoint -d 'The update URL.'
complete -c lexicon -n '__fish_seen_subcommand_from dyndns2' -l auth-username -d 'The user name (he.net: the host name).'
complete -c lexicon -n '__fish_seen_subcommand_from dyndns2' -l auth-password -d 'The password or update key.'
complete -c lexicon -n '__fish_seen_subcommand_from dyndns2' -l preset -d 'A known service: dyn, dynu, dynv6, henet, inwx, noip, nsupdate, strato (sets --api-endpoint).'
complete -c lexicon -n '__fish_seen_subcommand_from dyndns2' -l api-endpoint -d 'The update URL, e.g. https://members.dyndns.org/nic/update.'
complete -c lexicon -n '__fish_seen_subcommand_from dynu' -l auth-token -d 'A Dynu API key (Control Panel > API Credentials).'
complete -c lexicon -n '__fish_seen_subcommand_from dynu' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from easydns' -l auth-username -d 'The easyDNS API token (the user name of HTTP Basic auth).'
complete -c lexicon -n '__fish_seen_subcommand_from easydns' -l auth-token -d 'The easyDNS API key (the password of HTTP Basic auth).'
complete -c lexicon -n '__fish_seen_subcommand_from easydns' -l api-endpoint -d 'The APIs base URL (https://sandbox.rest.easydns.net for the sandbox).'
complete -c lexicon -n '__fish_seen_subcommand_from exoscale' -l auth-key -d 'The Exoscale API key (EXO…, IAM > Keys).'
complete -c lexicon -n '__fish_seen_subcommand_from exoscale' -l auth-secret -d 'The secret of the Exoscale API key.'
complete -c lexicon -n '__fish_seen_subcommand_from exoscale' -l api-zone -d 'The Exoscale zone whose API endpoint is used (https://api-ZONE.exoscale.com/v2).'
complete -c lexicon -n '__fish_seen_subcommand_from exoscale' -l api-endpoint -d 'The APIs base URL; https://api-ZONE.exoscale.com/v2 of --api-zone when not given.'
complete -c lexicon -n '__fish_seen_subcommand_from freedns' -l auth-token -d 'A records v2 update token (the part after /u/ in its sync URL).'
complete -c lexicon -n '__fish_seen_subcommand_from freedns' -l auth-username -d 'The account user name (v1, instead of a token).'
complete -c lexicon -n '__fish_seen_subcommand_from freedns' -l auth-password -d 'The account password (v1).'
complete -c lexicon -n '__fish_seen_subcommand_from freedns' -l api-endpoint -d 'The update host (default https://sync.afraid.org, IPv6 https://v6.sync.afraid.org; v1 https://freedns.afraid.org).'
complete -c lexicon -n '__fish_seen_subcommand_from gandi' -l auth-token -d 'A personal access token (Domain: manage DNS), or a legacy 24-character API key.'
complete -c lexicon -n '__fish_seen_subcommand_from gandi' -l api-key-mode -d 'Send the token as a legacy API key (Apikey) whatever its length.'
complete -c lexicon -n '__fish_seen_subcommand_from gandi' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from godaddy' -l auth-key -d 'The API key.'
complete -c lexicon -n '__fish_seen_subcommand_from godaddy' -l auth-secret -d 'The API secret.'
complete -c lexicon -n '__fish_seen_subcommand_from godaddy' -l api-endpoint -d 'The APIs base URL (OTE: https://api.ote-godaddy.com/v1).'
complete -c lexicon -n '__fish_seen_subcommand_from googleclouddns' -l auth-service-account-info -d 'The JSON key of the service account: file::PATH, or base64:: followed by the file in base64.'
complete -c lexicon -n '__fish_seen_subcommand_from googleclouddns' -l token-endpoint -d 'Where access tokens are bought; default: token_uri of the key, else https://oauth2.googleapis.com/token.'
complete -c lexicon -n '__fish_seen_subcommand_from googleclouddns' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from hetzner' -l auth-token -d 'A Hetzner Cloud API token (read/write), or a legacy DNS Console token.'
complete -c lexicon -n '__fish_seen_subcommand_from hetzner' -l api-endpoint -d 'The APIs base URL (default https://api.hetzner.cloud/v1, or https://dns.hetzner.com/api/v1 for legacy tokens).'
complete -c lexicon -n '__fish_seen_subcommand_from hostingde' -l auth-token -d 'A hosting.de API key (Profile > API keys) with the DNS rights.'
complete -c lexicon -n '__fish_seen_subcommand_from hostingde' -l api-endpoint -d 'The DNS APIs base URL; each method is a POST below it.'
complete -c lexicon -n '__fish_seen_subcommand_from hover' -l auth-username -d 'The Hover accounts username.'
complete -c lexicon -n '__fish_seen_subcommand_from hover' -l auth-password -d 'The Hover accounts password.'
complete -c lexicon -n '__fish_seen_subcommand_from hover' -l auth-totp-secret -d 'The base32 secret of the accounts authenticator-app two-factor login (shown when it is set up).'
complete -c lexicon -n '__fish_seen_subcommand_from hover' -l api-endpoint -d 'The APIs base URL; the sign-in pages are on the same site.'
complete -c lexicon -n '__fish_seen_subcommand_from infomaniak' -l auth-token -d 'An Infomaniak API token with the domain (dns) scope.'
complete -c lexicon -n '__fish_seen_subcommand_from infomaniak' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from inwx' -l auth-username -d 'The username of the INWX account (or of an API sub-account).'
complete -c lexicon -n '__fish_seen_subcommand_from inwx' -l auth-password -d 'The password of the account.'
complete -c lexicon -n '__fish_seen_subcommand_from inwx' -l auth-shared-secret -d 'The TOTP secret (base32) of the two-factor login, for accounts that have one.'
complete -c lexicon -n '__fish_seen_subcommand_from inwx' -l api-endpoint -d 'The XML-RPC URL; the INWX test system (OT&E) is https://api.ote.domrobot.com/xmlrpc/.'
complete -c lexicon -n '__fish_seen_subcommand_from ionos' -l api-key -d 'An IONOS API key: its public prefix, a period and its secret (prefix.secret).'
complete -c lexicon -n '__fish_seen_subcommand_from ionos' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from linode4 linode' -l auth-token -d 'A personal access token with Domains read/write.'
complete -c lexicon -n '__fish_seen_subcommand_from linode4 linode' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from localzone' -l filename -d 'The zone file to read and edit (BIND master format).'
complete -c lexicon -n '__fish_seen_subcommand_from luadns' -l auth-username -d 'The e-mail address of the LuaDNS account.'
complete -c lexicon -n '__fish_seen_subcommand_from luadns' -l auth-token -d 'A LuaDNS API key (API Keys page; enable API access in the settings first).'
complete -c lexicon -n '__fish_seen_subcommand_from luadns' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from mythicbeasts' -l auth-token -d 'A bearer token from the auth service, instead of the key.'
complete -c lexicon -n '__fish_seen_subcommand_from mythicbeasts' -l auth-username -d 'The API key id (Control panel > API keys).'
complete -c lexicon -n '__fish_seen_subcommand_from mythicbeasts' -l auth-password -d 'The API keys secret.'
complete -c lexicon -n '__fish_seen_subcommand_from mythicbeasts' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from mythicbeasts' -l token-endpoint -d 'The auth service URL a token is asked for at.'
complete -c lexicon -n '__fish_seen_subcommand_from namecheap' -l auth-token -d 'The API key.'
complete -c lexicon -n '__fish_seen_subcommand_from namecheap' -l auth-username -d 'The accounts user name (ApiUser and UserName).'
complete -c lexicon -n '__fish_seen_subcommand_from namecheap' -l auth-client-ip -d 'This machines public IPv4 address, as whitelisted for the API.'
complete -c lexicon -n '__fish_seen_subcommand_from namecheap' -l auth-sandbox -d 'Use the sandbox API (api.sandbox.namecheap.com).'
complete -c lexicon -n '__fish_seen_subcommand_from namecheap' -l api-endpoint -d 'The APIs URL (overrides --auth-sandbox).'
complete -c lexicon -n '__fish_seen_subcommand_from namecom' -l auth-username -d 'The Name.com user name (with -test appended for the test environment, api.dev.name.com).'
complete -c lexicon -n '__fish_seen_subcommand_from namecom' -l auth-token -d 'A Name.com API token (Account > Settings > API Token Management).'
complete -c lexicon -n '__fish_seen_subcommand_from namecom' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from namesilo' -l auth-token -d 'A NameSilo API key (Account > API Manager).'
complete -c lexicon -n '__fish_seen_subcommand_from namesilo' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from netcup' -l auth-customer-id -d 'The netcup customer number.'
complete -c lexicon -n '__fish_seen_subcommand_from netcup' -l auth-api-key -d 'An API key (Customer Control Panel > Master Data > API).'
complete -c lexicon -n '__fish_seen_subcommand_from netcup' -l auth-api-password -d 'The accounts API password.'
complete -c lexicon -n '__fish_seen_subcommand_from netcup' -l api-endpoint -d 'The APIs URL; every call is a POST to it.'
complete -c lexicon -n '__fish_seen_subcommand_from njalla' -l auth-token -d 'A Njalla API token (Settings > API access).'
complete -c lexicon -n '__fish_seen_subcommand_from njalla' -l api-endpoint -d 'The APIs URL; every call is a POST to it.'
complete -c lexicon -n '__fish_seen_subcommand_from nsone' -l auth-token -d 'An NS1 API key with DNS zone and record rights.'
complete -c lexicon -n '__fish_seen_subcommand_from nsone' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from oci' -l auth-config-file -d 'The OCI config file to read credentials from.'
complete -c lexicon -n '__fish_seen_subcommand_from oci' -l auth-profile -d 'The profile of the config file to use.'
complete -c lexicon -n '__fish_seen_subcommand_from oci' -l auth-user -d 'The OCID of the user (config file: user).'
complete -c lexicon -n '__fish_seen_subcommand_from oci' -l auth-tenancy -d 'The OCID of the tenancy (config file: tenancy).'
complete -c lexicon -n '__fish_seen_subcommand_from oci' -l auth-fingerprint -d 'The fingerprint of the API signing key (config file: fingerprint).'
complete -c lexicon -n '__fish_seen_subcommand_from oci' -l auth-key-content -d 'The API signing key itself, PEM (instead of --auth-key-file).'
complete -c lexicon -n '__fish_seen_subcommand_from oci' -l auth-key-file -d 'The file of the API signing key, PEM (config file: key_file).'
complete -c lexicon -n '__fish_seen_subcommand_from oci' -l auth-pass-phrase -d 'The pass phrase of an encrypted key (not supported: decrypt the key).'
complete -c lexicon -n '__fish_seen_subcommand_from oci' -l auth-region -d 'The region of the DNS endpoint, e.g. us-ashburn-1 (config file: region).'
complete -c lexicon -n '__fish_seen_subcommand_from oci' -l auth-type -d 'How to authenticate: api_key (instance_principal is not supported).'
complete -c lexicon -n '__fish_seen_subcommand_from oci' -l api-endpoint -d 'The APIs base URL; https://dns.REGION.oraclecloud.com/20180115 by default.'
complete -c lexicon -n '__fish_seen_subcommand_from ovh' -l auth-entrypoint -d 'The API region: ovh-eu, ovh-ca, ovh-us, kimsufi-eu, kimsufi-ca, soyoustart-eu or soyoustart-ca.'
complete -c lexicon -n '__fish_seen_subcommand_from ovh' -l auth-application-key -d 'The application key.'
complete -c lexicon -n '__fish_seen_subcommand_from ovh' -l auth-application-secret -d 'The application secret.'
complete -c lexicon -n '__fish_seen_subcommand_from ovh' -l auth-consumer-key -d 'The consumer key (with rights on /domain/zone/*).'
complete -c lexicon -n '__fish_seen_subcommand_from ovh' -l api-endpoint -d 'The APIs base URL (overrides --auth-entrypoint).'
complete -c lexicon -n '__fish_seen_subcommand_from porkbun' -l auth-key -d 'A Porkbun API key (Account > API Access), with API access on for the domain.'
complete -c lexicon -n '__fish_seen_subcommand_from porkbun' -l auth-secret -d 'The secret API key created with it.'
complete -c lexicon -n '__fish_seen_subcommand_from porkbun' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from powerdns' -l auth-token -d 'The API key (PowerDNSs api-key, sent as X-API-Key).'
complete -c lexicon -n '__fish_seen_subcommand_from powerdns' -l pdns-server -d 'The APIs base URL, e.g. http://127.0.0.1:8081 (/api/v1 is added).'
complete -c lexicon -n '__fish_seen_subcommand_from powerdns' -l pdns-server-id -d 'The server id in the API path.'
complete -c lexicon -n '__fish_seen_subcommand_from powerdns' -l pdns-disable-notify -d 'Do not ask PowerDNS to send NOTIFY to secondaries after a change.'
complete -c lexicon -n '__fish_seen_subcommand_from qcloud' -l secret_id -d 'A Tencent Cloud API SecretId (CAM > API keys).'
complete -c lexicon -n '__fish_seen_subcommand_from qcloud' -l secret_key -d 'The SecretKey that goes with it.'
complete -c lexicon -n '__fish_seen_subcommand_from qcloud' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from rfc2136 ddns' -l auth-token -d 'The TSIG key as ALGORITHM:KEYNAME:SECRET (hmac-sha256:update-key:BASE64).'
complete -c lexicon -n '__fish_seen_subcommand_from rfc2136 ddns' -l auth-key-file -d 'A key file as tsig-keygen writes it (instead of --auth-token).'
complete -c lexicon -n '__fish_seen_subcommand_from rfc2136 ddns' -l ddns-server -d 'The primary server: HOST, HOST:PORT or [IPV6]:PORT; several separated by commas.'
complete -c lexicon -n '__fish_seen_subcommand_from rfc2136 ddns' -l ddns-timeout -d 'Seconds to wait for each answer.'
complete -c lexicon -n '__fish_seen_subcommand_from route53' -l auth-access-key -d 'The AWS access key id.'
complete -c lexicon -n '__fish_seen_subcommand_from route53' -l auth-access-secret -d 'The AWS secret access key.'
complete -c lexicon -n '__fish_seen_subcommand_from route53' -l auth-session-token -d 'A session token, for temporary credentials.'
complete -c lexicon -n '__fish_seen_subcommand_from route53' -l private-zone -d 'Use the private hosted zone of that name, not the public one.'
complete -c lexicon -n '__fish_seen_subcommand_from route53' -l zone-id -d 'The hosted zone id (skips the lookup by name).'
complete -c lexicon -n '__fish_seen_subcommand_from route53' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from scaleway' -l auth-secret-key -d 'The secret key of a Scaleway API key (IAM > API keys) allowed to manage the zone.'
complete -c lexicon -n '__fish_seen_subcommand_from scaleway' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from transip' -l auth-username -d 'The TransIP account name (login).'
complete -c lexicon -n '__fish_seen_subcommand_from transip' -l auth-api-key -d 'The key pairs private key: PEM, the path of its file, or base64:: and the file in base64.'
complete -c lexicon -n '__fish_seen_subcommand_from transip' -l auth-key-is-global -d 'The key pair is not restricted to whitelisted IP addresses.'
complete -c lexicon -n '__fish_seen_subcommand_from transip' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from vercel zeit' -l auth-token -d 'A Vercel access token (Account Settings > Tokens).'
complete -c lexicon -n '__fish_seen_subcommand_from vercel zeit' -l team-id -d 'The team that owns the domain (team_…), when it is not the tokens personal account.'
complete -c lexicon -n '__fish_seen_subcommand_from vercel zeit' -l api-endpoint -d 'The APIs base URL.'
complete -c lexicon -n '__fish_seen_subcommand_from vultr' -l auth-token -d 'A Vultr API key (Account > API) whose access control admits this machine.'
complete -c lexicon -n '__fish_seen_subcommand_from vultr' -l api-endpoint -d 'The APIs base URL.'
