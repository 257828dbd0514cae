variable "region" {
  description = "AWS region SES sends from (ap-south-1 = Mumbai)."
  type        = string
  default     = "ap-south-1"
}

variable "domain" {
  description = "Sending domain verified in SES, e.g. notify.example.in."
  type        = string
}

variable "sender_local_parts" {
  description = "Local parts workers may send from (alerts -> alerts@<domain>)."
  type        = list(string)
  default     = ["alerts"]
}

variable "route53_zone_id" {
  description = "Hosted zone of the domain; when set, the DKIM CNAMEs are created there. Leave empty to publish them elsewhere (see the dkim_records output)."
  type        = string
  default     = ""
}

variable "name_prefix" {
  description = "Prefix for the configuration set, topic, queues and policy."
  type        = string
  default     = "pickup-notifier"
}

variable "worker_role_name" {
  description = "Existing IAM role of the send/track workers to attach the policy to (empty: only create the policy)."
  type        = string
  default     = ""
}

variable "event_queue_max_receives" {
  description = "Deliveries of one SES event message before it moves to the dead-letter queue."
  type        = number
  default     = 5
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default = {
    project = "pickup-notifier"
  }
}
