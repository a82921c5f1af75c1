"""Embedded name lists for the sample district: diverse given and family names, school namesakes."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """Split a block of whitespace-separated names."""
    return tuple(text.split())


FEMALE_GIVEN: tuple[str, ...] = _words(
    """
    Aaliyah Abigail Ada Adaeze Adriana Aisha Aiko Alejandra Alexa Alexis Alice Alicia Alina
    Allison Alma Amaya Amelia Amina Amira Ana Anahí Anaya Andrea Angela Angelica Anika Anna
    Ariana Ariel Asha Ashley Aubrey Audrey Aurora Ava Avery Ayesha Beatriz Bella Brianna Brooke
    Camila Carmen Caroline Catalina Charlotte Chloe Claire Daniela Daphne Deja Destiny Diana
    Dulce Eleanor Elena Eliana Elif Elisa Elizabeth Ella Emily Emma Esperanza Esther Eva Evelyn
    Fatima Fernanda Fiona Gabriela Gianna Grace Guadalupe Hadley Hailey Hana Hannah Harper Hazel
    Imani Ingrid Isabel Isabella Itzel Ivy Jacqueline Jade Jasmine Jimena Jocelyn Josephine
    Julia Juliana Kaia Kamila Kateryna Kayla Keira Kennedy Kiara Kimberly Layla Leah Leilani
    Lena Lila Liliana Lily Lucia Lucy Luna Lydia Mackenzie Madeline Madison Maile Malia Mariam
    Mariana Maribel Marisol Maya Mei Mia Mila Miriam Molly Monique Morgan Nadia Naomi Natalia
    Nevaeh Nia Nicole Nina Noa Nora Olivia Paisley Paola Penelope Priya Quinn Rachel Renata
    Riley Rosa Ruby Sadie Salma Samantha Sara Sarah Savannah Scarlett Selena Serenity Sienna
    Simone Sofía Sophia Stella Sunita Tatiana Thandiwe Valentina Valeria Vanessa Victoria Violet
    Wren Ximena Yamileth Yasmin Yuki Zara Zoe Zoë
    """
)

MALE_GIVEN: tuple[str, ...] = _words(
    """
    Aarav Aaron Abdullah Adrian Ahmed Aiden Akira Alejandro Alexander Ali Andre Andrés Angel
    Anthony Antonio Arjun Asher Axel Bautista Benjamin Bilal Brandon Brayden Bryan Caleb Cameron
    Carlos Carter Chidi Christian Christopher Cole Connor Cristian Daniel Darius David Deshawn
    Diego Dimitri Dominic Dylan Eduardo Elias Elijah Emeka Emiliano Emmanuel Enrique Eric Ethan
    Evan Ezekiel Ezra Felipe Fernando Finn Francisco Gabriel Gael Giovanni Grayson Hamza Hassan
    Henry Hiroshi Hudson Hugo Hunter Ibrahim Isaac Isaiah Ivan Jace Jack Jackson Jacob Jalen
    Jamal James Jason Javier Jayden Jesús Joaquín Joel Jonah Jonathan Jorge José Joseph Joshua
    Josiah Juan Julian Julius Kai Kaleb Kamal Keanu Kenji Kevin Kofi Leo Leonardo Liam Lincoln
    Logan Lorenzo Luca Lucas Luis Malachi Malik Manuel Marcus Mario Mason Mateo Matthew
    Maximilian Micah Miguel Min-jun Mohammed Nathan Nicolás Nikhil Noah Nolan Olumide Omar Oscar
    Owen Pablo Patrick Pedro Rafael Rahul Ramón Reza Ricardo Roberto Rohan Ryan Samuel Santiago
    Sebastián Sergio Silas Soren Tariq Theo Theodore Thomas Tobias Tomás Travis Tyler Uriel
    Victor Vikram Wei William Wyatt Xavier Yahir Yusuf Zachary Zaid Zion
    """
)

FAMILY: tuple[str, ...] = _words(
    """
    Abbott Abdi Acosta Adams Adeyemi Aguilar Ahmed Ali Alvarez Anderson Andrade Armstrong Arroyo
    Bailey Baker Banerjee Barnes Bautista Bell Bennett Bhatt Bianchi Bishop Black Brooks Brown
    Bryant Burke Butler Caldwell Campbell Cardenas Carter Castillo Castro Chang Chavez Chen Cho
    Choi Clark Coleman Collins Contreras Cook Cooper Cortez Cruz Cunningham Dang Davis Delgado
    Deng Diallo Diaz Dominguez Douglas Duarte Dubois Duong Edwards Ellis Espinoza Evans Farah
    Ferguson Fernandez Fischer Flores Foster Francis Franco Freeman Fuentes Garcia Gardner Garza
    Gibson Gomez Gonzalez Gordon Graham Grant Gray Green Greene Guerrero Gupta Gutierrez Haddad
    Hall Hamilton Harris Hashemi Hayes Henderson Hernandez Herrera Hill Ho Hoang Holmes Howard
    Hughes Hussain Ibarra Ibrahim Ito Jackson James Jenkins Jimenez Johnson Jones Jordan Joshi
    Juarez Kang Kaur Kelly Kennedy Khan Kim Kimura King Kowalski Kumar Lam Le Lee Lewis Li Lin
    Liu Long Lopez Lozano Luna Lynch Ma Mahmoud Malik Marshall Martin Martinez Mason Medina
    Mehta Mejia Mendez Mendoza Meyer Miller Mitchell Molina Montgomery Moore Morales Moreno
    Morgan Morris Murphy Murray Myers Nakamura Nash Navarro Nelson Nguyen Nielsen Nunez Obi
    Ochoa Okafor Okonkwo Oliver Olsen Omar Ortega Ortiz Owens Park Parker Patel Pearson Peña
    Perez Perry Peters Pham Phillips Pierce Popescu Porter Powell Price Quintero Ramirez Ramos
    Rao Reddy Reed Reyes Reynolds Rice Richardson Rivera Roberts Robinson Rodriguez Rogers
    Romero Rosales Ross Ruiz Russell Saito Salazar Sanchez Sandoval Santos Sato Schmidt Scott
    Shah Shapiro Sharma Silva Simmons Singh Smith Snyder Solis Soto Stewart Stone Sullivan
    Suzuki Tanaka Taylor Thomas Thompson Torres Tran Trujillo Truong Turner Valdez Vargas
    Vasquez Vega Vu Walker Wallace Walsh Wang Ward Washington Watson Weber Wells White Williams
    Wilson Wong Wood Wright Wu Xu Yamamoto Yang Yilmaz Young Zhang Zhao Zhou Abubakar Afolabi
    Agarwal Akhtar Alexander Almeida Amador Appiah Asante Avila Barrera Becker Benitez Berg Bose
    Boateng Calderon Camacho Chaudhry Chowdhury Cisneros Dalton Das Desai Dixon Eriksen Estrada
    Fitzgerald Fong Fujita Gallagher Ghosh Guzman Hansen Hawkins Holt Huang Iyer Jensen Kapoor
    Kariuki Kato Khalil Kozlov Larsen Lindqvist Lucero Mahoney Mensah Mishra Nair Novak Nwosu
    Oyelaran Pacheco Petrov Quispe Rahman Rasmussen Sahin Serrano Tafoya Takahashi Tembo Ueda
    Velasquez Villanueva Wolfe Yoon Zamora
    """
) + (
    "O'Brien",
    "O'Connor",
    "Van der Berg",
    "De La Cruz",
    "St. Clair",
    "Garcia-Lopez",
    "Nguyễn",
    "Müller",
    "Møller",
    "Ramírez-Soto",
)

SCHOOL_NAMESAKES: tuple[str, ...] = (
    "Abraham Lincoln",
    "Amelia Earhart",
    "Aspen Grove",
    "Bayside",
    "Benjamin Franklin",
    "Birch Hill",
    "Canyon View",
    "Cedar Ridge",
    "Cesar Chavez",
    "Clara Barton",
    "Columbia",
    "Cottonwood",
    "Crestview",
    "Dolores Huerta",
    "Eagle Rock",
    "Eastgate",
    "Ellen Ochoa",
    "Evergreen",
    "Fairview",
    "Frederick Douglass",
    "George Washington Carver",
    "Glenwood",
    "Hamilton",
    "Harbor View",
    "Harriet Tubman",
    "Hawthorne",
    "Highland",
    "Hillcrest",
    "Jefferson",
    "John Muir",
    "Katherine Johnson",
    "Lakeside",
    "Laurel Springs",
    "Lewis and Clark",
    "Madison",
    "Maple Grove",
    "Marie Curie",
    "Martin Luther King Jr.",
    "Maya Angelou",
    "Meadowbrook",
    "Mill Creek",
    "Mountain View",
    "North Point",
    "Oak Grove",
    "Pacific Crest",
    "Pinecrest",
    "Pioneer",
    "Redwood",
    "Ridgeview",
    "Riverside",
    "Roberto Clemente",
    "Rosa Parks",
    "Sally Ride",
    "Sequoia",
    "Sierra Vista",
    "Silver Lake",
    "Sojourner Truth",
    "Southridge",
    "Stonebridge",
    "Sunnyside",
    "Sycamore",
    "Thurgood Marshall",
    "Valley View",
    "Walnut Creek",
    "Washington",
    "West Hills",
    "Westwood",
    "Whittier",
    "Willow Glen",
    "Woodland",
)
