CREATE TABLE "model_sync_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"trigger" text NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"pages_fetched" integer DEFAULT 0 NOT NULL,
	"models_fetched" integer DEFAULT 0 NOT NULL,
	"models_transformed" integer DEFAULT 0 NOT NULL,
	"models_skipped" integer DEFAULT 0 NOT NULL,
	"models_synced" integer DEFAULT 0 NOT NULL,
	"models_deactivated" integer DEFAULT 0 NOT NULL,
	"error" text,
	CONSTRAINT "model_sync_runs_status_check" CHECK (status in ('running', 'succeeded', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "developer" text;--> statement-breakpoint
CREATE INDEX "model_sync_runs_provider_started_idx" ON "model_sync_runs" USING btree ("provider","started_at");--> statement-breakpoint
CREATE INDEX "chat_completion_requests_created_idx" ON "chat_completion_requests" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "models_active_provider_idx" ON "models" USING btree ("is_active","provider_id");