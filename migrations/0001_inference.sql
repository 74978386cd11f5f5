CREATE TABLE "chat_completion_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"user_id" integer,
	"api_key_id" integer,
	"requested_model" text NOT NULL,
	"provider" text,
	"upstream_model" text,
	"model_id" integer,
	"endpoint" text DEFAULT 'chat.completions' NOT NULL,
	"stream" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"http_status" integer NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"cached_tokens" integer DEFAULT 0 NOT NULL,
	"cache_write_tokens" integer DEFAULT 0 NOT NULL,
	"reasoning_tokens" integer DEFAULT 0 NOT NULL,
	"usage_estimated" boolean DEFAULT false NOT NULL,
	"priced" boolean DEFAULT true NOT NULL,
	"cost_usd" numeric(20, 9) DEFAULT '0' NOT NULL,
	"latency_ms" integer,
	"time_to_first_token_ms" integer,
	"finish_reason" text,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_completion_requests_status_check" CHECK (status in ('completed', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"provider_model_id" text NOT NULL,
	"model_name" text NOT NULL,
	"description" text,
	"context_length" integer,
	"max_completion_tokens" integer,
	"modality" text,
	"input_modalities" text[] DEFAULT '{}'::text[] NOT NULL,
	"output_modalities" text[] DEFAULT '{}'::text[] NOT NULL,
	"supported_parameters" text[] DEFAULT '{}'::text[] NOT NULL,
	"price_prompt" numeric(24, 15),
	"price_completion" numeric(24, 15),
	"price_cache_read" numeric(24, 15),
	"price_cache_write" numeric(24, 15),
	"price_request" numeric(24, 15),
	"price_image" numeric(24, 15),
	"supports_streaming" boolean DEFAULT true NOT NULL,
	"supports_tools" boolean DEFAULT false NOT NULL,
	"supports_vision" boolean DEFAULT false NOT NULL,
	"hugging_face_id" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "providers" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"base_url" text,
	"api_key_env" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"health" text DEFAULT 'unknown' NOT NULL,
	"last_synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "providers_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "chat_completion_requests" ADD CONSTRAINT "chat_completion_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_completion_requests" ADD CONSTRAINT "chat_completion_requests_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_completion_requests" ADD CONSTRAINT "chat_completion_requests_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chat_completion_requests_request_id_unique" ON "chat_completion_requests" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "chat_completion_requests_user_created_idx" ON "chat_completion_requests" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "models_provider_model_unique" ON "models" USING btree ("provider_id","provider_model_id");--> statement-breakpoint
CREATE INDEX "models_provider_model_id_idx" ON "models" USING btree ("provider_model_id");