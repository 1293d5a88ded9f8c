variable "user_agent_contact" {
  type        = string
  description = "URL named in the scraper's User-Agent so site owners can reach whoever runs the crawler (SCRAPER_USER_AGENT_CONTACT)."
  default     = "https://github.com/shelfwatch/shelfwatch"
}
