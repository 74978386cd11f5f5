CREATE TABLE "chat_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"role" text NOT NULL,
	"content" text NOT NULL,
	"model" text,
	"tokens" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_messages_role_check" CHECK (role in ('user', 'assistant', 'system', 'tool')),
	CONSTRAINT "chat_messages_tokens_check" CHECK (tokens >= 0)
);
--> statement-breakpoint
CREATE TABLE "chat_sessions" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"title" text NOT NULL,
	"model" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "downtime_incidents" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"component" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"duration_seconds" integer,
	"health_endpoint" text,
	"error_message" text,
	"http_status_code" integer,
	"response_body" text,
	"status" text DEFAULT 'ongoing' NOT NULL,
	"severity" text NOT NULL,
	"environment" text NOT NULL,
	"logs_captured" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"log_count" integer DEFAULT 0 NOT NULL,
	"logs_file_path" text,
	"resolved_by" text,
	"notes" text,
	"server_info" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"metrics_snapshot" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "downtime_incidents_status_check" CHECK (status in ('ongoing', 'resolved', 'investigating')),
	CONSTRAINT "downtime_incidents_severity_check" CHECK (severity in ('low', 'medium', 'high', 'critical'))
);
--> statement-breakpoint
CREATE TABLE "error_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"category" text NOT NULL,
	"severity" text NOT NULL,
	"source" text NOT NULL,
	"message" text NOT NULL,
	"route" text,
	"status_code" integer,
	"request_id" text,
	"provider" text,
	"model" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "error_events_category_check" CHECK (category in ('PROVIDER_ERROR', 'DATABASE_ERROR', 'RATE_LIMIT_ERROR', 'AUTH_ERROR', 'TIMEOUT_ERROR', 'VALIDATION_ERROR', 'CACHE_ERROR', 'EXTERNAL_SERVICE_ERROR', 'INTERNAL_ERROR', 'UNKNOWN')),
	CONSTRAINT "error_events_severity_check" CHECK (severity in ('critical', 'high', 'medium', 'low', 'info'))
);
--> statement-breakpoint
CREATE TABLE "error_fix_suggestions" (
	"id" serial PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"category" text NOT NULL,
	"severity" text NOT NULL,
	"model" text NOT NULL,
	"analysis" text DEFAULT '' NOT NULL,
	"proposed_fix" text DEFAULT '' NOT NULL,
	"code_changes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"files_affected" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"pr_url" text,
	"request_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"cost_usd" numeric(20, 9) DEFAULT '0' NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "health_probe_states" (
	"component" text PRIMARY KEY NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"consecutive_successes" integer DEFAULT 0 NOT NULL,
	"last_ok" boolean,
	"last_error" text,
	"last_checked_at" timestamp with time zone,
	"failing_since" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "message_feedback" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"session_id" integer,
	"message_id" bigint,
	"feedback_type" text NOT NULL,
	"rating" integer,
	"comment" text,
	"model" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_feedback_type_check" CHECK (feedback_type in ('thumbs_up', 'thumbs_down', 'regenerate')),
	CONSTRAINT "message_feedback_rating_check" CHECK (rating is null or rating between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "operation_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_session_id_chat_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."chat_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD CONSTRAINT "chat_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_feedback" ADD CONSTRAINT "message_feedback_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_feedback" ADD CONSTRAINT "message_feedback_session_id_chat_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."chat_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_feedback" ADD CONSTRAINT "message_feedback_message_id_chat_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."chat_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_messages_session_created_idx" ON "chat_messages" USING btree ("session_id","created_at");--> statement-breakpoint
CREATE INDEX "chat_sessions_user_active_updated_idx" ON "chat_sessions" USING btree ("user_id","is_active","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "downtime_incidents_one_open_idx" ON "downtime_incidents" USING btree ("component") WHERE status <> 'resolved';--> statement-breakpoint
CREATE INDEX "downtime_incidents_started_idx" ON "downtime_incidents" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "error_events_fingerprint_created_idx" ON "error_events" USING btree ("fingerprint","created_at");--> statement-breakpoint
CREATE INDEX "error_events_created_idx" ON "error_events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "error_fix_suggestions_fingerprint_idx" ON "error_fix_suggestions" USING btree ("fingerprint");--> statement-breakpoint
CREATE INDEX "message_feedback_user_created_idx" ON "message_feedback" USING btree ("user_id","created_at");