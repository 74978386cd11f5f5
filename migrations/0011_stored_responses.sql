CREATE TABLE "stored_responses" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"request_id" text NOT NULL,
	"model" text NOT NULL,
	"status" text NOT NULL,
	"previous_response_id" text,
	"input_items" jsonb NOT NULL,
	"output_items" jsonb NOT NULL,
	"usage" jsonb,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stored_responses_status_check" CHECK (status in ('completed', 'incomplete'))
);
--> statement-breakpoint
ALTER TABLE "stored_responses" ADD CONSTRAINT "stored_responses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stored_responses_user_created_idx" ON "stored_responses" USING btree ("user_id","created_at");