"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { createPerson } from "@/lib/people/create-person";

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

/** HR's joiner form: the record and its master account; then on to the new person's page. */
export async function createPersonAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const jobCategories = form.getAll("jobCategories").filter((v): v is string => typeof v === "string");
  const values = { ...formValues(form), jobCategories: jobCategories.join(",") };
  let personId: string;
  try {
    const { person } = await performAsActor((tx, actor) =>
      createPerson(tx, actor, {
        employeeNo: str(form, "employeeNo"),
        name: str(form, "name"),
        orgUnitId: str(form, "orgUnitId"),
        jobTitle: str(form, "jobTitle"),
        employmentType: str(form, "employmentType") as never,
        jobCategories: jobCategories as never,
        phone: str(form, "phone"),
        email: str(form, "email"),
        idNumber: str(form, "idNumber"),
        vendorId: str(form, "vendorId"),
        sponsorEmployeeNo: str(form, "sponsorEmployeeNo"),
        contractEndsOn: str(form, "contractEndsOn"),
      }),
    );
    personId = person.id;
  } catch (error) {
    return actionError(error, values);
  }
  revalidatePath("/people");
  redirect(`/people/${personId}?created=1`);
}
